using System.Diagnostics;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Policies;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Failures;
using Robotics.Core.Randomness;

namespace Robotics.Evaluation.Rollouts;

/// <summary>
/// Runs one policy closed loop in one environment instance, one episode per call: resets the scene from the
/// episode's seed, asks the policy for a chunk every ExecutedSteps steps and executes that many actions; the
/// observations in between reach the policy through <see cref="IChunkPolicy.Observe"/>. Every random choice (scene,
/// fault, noise, the policy's sampling) comes from the episode's seed, so an episode is a pure function of
/// (policy, environment, <see cref="EpisodeSpec"/>) whatever worker or shard runs it.
/// </summary>
public sealed class ClosedLoopEvaluator(EvaluationPolicy policy, IEnvironment environment, IFailureInjector? injector = null,
    Func<double, double>? normalize = null)
{
    // Streams derived from the episode seed; distinct so one kind of noise never shifts another.
    private const long FaultStream = 0xFA17, ActionNoiseStream = 0xAC7, ObservationNoiseStream = 0x0B5, InitialStream = 0x1417;

    /// <param name="samplesPerCall">With <paramref name="recordFeatures"/>: extra chunks sampled per call (needs an <see cref="ISampledChunkPolicy"/>).</param>
    public EpisodeResult Run(EpisodeSpec episode, bool recordFeatures = false, int samplesPerCall = 0, CancellationToken cancellationToken = default)
    {
        var sampler = samplesPerCall > 0
            ? Unwrap(policy.Policy) as ISampledChunkPolicy ?? throw new InvalidOperationException($"{samplesPerCall} samples per call were asked for, but the policy cannot sample extra chunks")
            : null;
        var condition = episode.Condition;
        var tasks = environment.Spec.Tasks;
        var reset = environment.Reset(episode.Seed, new ResetOptions(episode.Task));
        int posed = reset.Info.TaskIndex;
        string? instruction = tasks.Count > posed ? tasks[posed].Instruction : null;
        // Match the environment's task to the policy's by instruction; a paraphrase (or an unknown task) goes by text alone.
        int? policyTask = instruction is null ? null : policy.Instructions.ToList().IndexOf(instruction) is var i and >= 0 ? i : null;
        if (policy.Instructions.Count == 1)
            policyTask = 0;
        if (condition.UnseenInstructions && instruction is not null)
        {
            instruction = EvaluationCondition.Paraphrase(instruction);
            policyTask = null;
        }

        var draws = Xoshiro256.Derive(episode.Seed, FaultStream);
        FailurePlan? plan = null;
        if (condition.Fault is { } fault)
        {
            var faults = injector ?? throw new InvalidOperationException($"condition '{condition.Name}' injects '{fault}', but '{environment.Spec.Id}' has no failure injector");
            if (draws.NextDouble() < condition.FaultRate)
                plan = faults.Draw(fault == EvaluationCondition.AnyFault ? faults.Kinds[draws.NextInt(faults.Kinds.Count)] : fault, draws, posed);
        }

        var actionNoise = Xoshiro256.Derive(episode.Seed, ActionNoiseStream);
        var observationNoise = Xoshiro256.Derive(episode.Seed, ObservationNoiseStream);
        var observation = reset.Observation;
        double ret = 0;
        bool success = false, done = false;
        int steps = 0, calls = 0;
        double inferenceMs = 0;
        var records = recordFeatures ? new List<PolicyCallRecord>() : null;
        var agent = AgentOf(policy.Policy);

        // A wider initial-state distribution: random actions before the policy takes over (they count as steps).
        var initial = Xoshiro256.Derive(episode.Seed, InitialStream);
        for (int k = 0; k < condition.InitialRandomSteps && !done; k++)
        {
            var action = new float[environment.Spec.Action.Dimension];
            for (int d = 0; d < action.Length; d++)
                action[d] = (float)initial.Uniform(-1, 1);
            Execute(action);
        }

        policy.Policy.Reset(episode.Seed);
        while (!done)
        {
            if ((calls & 15) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var chunk = policy.Policy.PredictChunk(Seen(), cancellationToken);
            inferenceMs += clock.Elapsed.TotalMilliseconds;
            var samples = recordFeatures && sampler is not null ? sampler.SampleChunks(samplesPerCall, cancellationToken) : null;
            calls++;
            int executed = Math.Min(policy.Policy.ExecutedSteps, chunk.Actions.Length);
            var executedActions = recordFeatures ? new List<float[]>(executed) : null;
            int callStep = steps;
            for (int k = 0; k < executed && !done; k++)
            {
                var action = chunk.Actions[k].Select(v => Math.Clamp(v, -1f, 1f)).ToArray();
                if (condition.ActionNoise > 0)
                {
                    for (int d = 0; d < action.Length; d++)
                        action[d] = (float)Math.Clamp(action[d] + actionNoise.Normal() * condition.ActionNoise, -1.0, 1.0);
                }

                executedActions?.Add(action);
                Execute(action);
                // Every executed step's observation reaches the policy; the last one of the chunk opens the next call.
                if (!done && k < executed - 1)
                    policy.Policy.Observe(Seen());
            }

            records?.Add(new PolicyCallRecord(callStep, chunk.Features, [.. executedActions!], chunk.Actions, samples));
        }

        return new EpisodeResult(posed, instruction, episode.Seed, success, ret, steps, calls, inferenceMs / Math.Max(1, calls),
            normalize?.Invoke(ret), plan?.Kind, plan?.StartStep, records);

        void Execute(float[] action)
        {
            if (plan is not null)
                injector!.BeforeStep(plan, environment.ElapsedSteps, environment, agent);
            var result = environment.Step(action);
            ret += result.Reward;
            success |= result.Info.IsSuccess;
            observation = result.Observation;
            steps++;
            done = result.Done;
        }

        PolicyObservation Seen()
        {
            var state = policy.AppendGoal ? WithGoal(observation) : (float[])observation.Clone();
            if (condition.ObservationNoise > 0)
            {
                for (int d = 0; d < observation.Length; d++)
                    state[d] = (float)(state[d] + observationNoise.Normal() * condition.ObservationNoise);
            }

            return new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(state) }, policyTask, instruction, steps);
        }
    }

    /// <summary>Goal-conditioned policies see [observation, goal] as their training data did ([obs, infos/goal]).</summary>
    private float[] WithGoal(float[] observation) => environment is IGoalEnvironment goal
        ? [.. observation, .. goal.Goal]
        : throw new InvalidOperationException($"The policy expects a goal appended to the state, but environment '{environment.Spec.Id}' has no goal.");

    private static IChunkPolicy Unwrap(IChunkPolicy p) => p is NoisyChunkPolicy noisy ? Unwrap(noisy.Inner) : p;

    /// <summary>The agent a fault may act on (a wrong target redirects a scripted expert); none for learned policies.</summary>
    private static IAgent AgentOf(IChunkPolicy policy) => policy switch
    {
        ExpertChunkPolicy expert => expert.Agent,
        NoisyChunkPolicy noisy => AgentOf(noisy.Inner),
        _ => NoAgent.Instance,
    };
}
