using System.Diagnostics;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Sims.Environments;
using Robotics.Sims.Maze2d;

namespace Robotics.Cli.Commands.Eval;

/// <summary>
/// Runs a policy closed loop in-process: each episode resets the environment with seed + episode (the chosen tasks
/// cycled so every task gets the same number of episodes), calls the policy every ExecutedSteps steps and executes
/// that many actions of the chunk; the observations in between reach the policy through
/// <see cref="IChunkPolicy.Observe"/>. Success is the environment's own success flag at any step.
/// </summary>
public sealed class ClosedLoopEvaluator(IChunkPolicy policy, Func<IEnvironment> createEnvironment, IReadOnlyList<string> policyInstructions, bool appendGoal)
{
    /// <param name="taskIds">Environment tasks to cycle through (null: every task of the environment).</param>
    public IReadOnlyList<EpisodeOutcome> Run(int episodes, long seed, IReadOnlyList<int>? taskIds, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        using var env = createEnvironment();
        var tasks = env.Spec.Tasks;
        var cycle = taskIds is { Count: > 0 } ? taskIds : Enumerable.Range(0, tasks.Count).ToArray();
        var outcomes = new List<EpisodeOutcome>();
        for (int e = 0; e < episodes; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int? task = tasks.Count > 1 ? cycle[e % cycle.Count] : null;
            var reset = env.Reset(seed + e, new ResetOptions(task));
            int posed = reset.Info.TaskIndex;
            // Match the environment's task to the policy's by instruction; an unknown one goes by text alone.
            string? instruction = tasks.Count > posed ? tasks[posed].Instruction : null;
            int policyTask = instruction is null ? -1 : policyInstructions.ToList().IndexOf(instruction);
            if (policyInstructions.Count == 1) policyTask = 0;
            policy.Reset();
            var observation = reset.Observation;
            double ret = 0;
            bool success = false;
            int steps = 0, calls = 0;
            double inferenceMs = 0;
            bool done = false;
            PolicyObservation Seen() => new(
                new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(appendGoal ? WithGoal(env, observation) : observation) },
                policyTask >= 0 ? policyTask : null, instruction, steps);

            while (!done)
            {
                var clock = Stopwatch.StartNew();
                var chunk = policy.PredictChunk(Seen(), cancellationToken);
                inferenceMs += clock.Elapsed.TotalMilliseconds;
                calls++;
                int executed = Math.Min(policy.ExecutedSteps, chunk.Actions.Length);
                for (int k = 0; k < executed && !done; k++)
                {
                    var result = env.Step(chunk.Actions[k].Select(v => Math.Clamp(v, -1f, 1f)).ToArray());
                    ret += result.Reward;
                    success |= result.Info.IsSuccess;
                    observation = result.Observation;
                    steps++;
                    done = result.Done;
                    // Every executed step's observation reaches the policy; the last one of the chunk opens the next call.
                    if (!done && k < executed - 1)
                        policy.Observe(Seen());
                }
            }

            outcomes.Add(new EpisodeOutcome(e, posed, success, ret, steps, calls, inferenceMs / Math.Max(1, calls)));
            progress?.Report(new ProgressUpdate("eval", e + 1, episodes, $"success {outcomes.Count(o => o.Success)}/{outcomes.Count}"));
        }

        return outcomes;
    }

    /// <summary>The environment's tasks the policy was trained on (matched by instruction); every task when it knows none of them.</summary>
    public static IReadOnlyList<int> PolicyTasks(IReadOnlyList<Robotics.Core.Tasks.TaskSpec> environmentTasks, IReadOnlyList<string> policyInstructions)
    {
        var known = environmentTasks.Where(t => policyInstructions.Contains(t.Instruction)).Select(t => t.Index).ToArray();
        return known.Length > 0 ? known : environmentTasks.Select(t => t.Index).ToArray();
    }

    /// <summary>Goal-conditioned maze policies see [observation, target] as their training data did ([obs, infos/goal]).</summary>
    private static float[] WithGoal(IEnvironment env, float[] observation) => env switch
    {
        Maze2dEnvironment maze => [.. observation, (float)maze.Target.X, (float)maze.Target.Y],
        _ => throw new InvalidOperationException($"The policy expects a goal appended to the state, but environment '{env.Spec.Id}' has no goal to append."),
    };
}
