using Robotics.Core.Progress;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Failures;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Rollouts;

/// <summary>
/// Runs episodes across worker threads, each with its own environment and agent. Every episode's
/// seed, task, noise stream and fault depend only on (request seed, episode index), so results are
/// identical for any worker count; they are returned in episode order.
/// </summary>
public static class RolloutRunner
{
    public static Task<IReadOnlyList<EpisodeRecord>> RunAsync(RolloutRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        request.Validate();
        var registration = EnvironmentRegistry.Get(request.EnvironmentId);
        var kinds = request.FailureKinds ?? [];
        if (request.FailureRate > 0 || kinds.Count > 0)
        {
            if (registration.CreateFailureInjector is null)
                throw new ArgumentException($"Environment {registration.Id} has no failure injection; only tabletop-push does.");
            var known = registration.CreateFailureInjector().Kinds;
            var unknown = kinds.Where(k => !known.Contains(k)).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException($"Unknown failure kind(s) {string.Join(", ", unknown)} for {registration.Id}; known: {string.Join(", ", known)}.");
            if (kinds.Count == 0)
                kinds = known;
        }

        var results = new EpisodeRecord[request.Episodes];
        int workers = Math.Min(request.Episodes, request.Workers > 0 ? request.Workers : Environment.ProcessorCount);
        int next = -1, done = 0, successes = 0;
        progress?.Report(new ProgressUpdate($"rollouts {registration.Id}", 0, request.Episodes));

        void Work()
        {
            using var env = registration.Create();
            var agent = request.CreateAgent?.Invoke(env) ?? registration.CreateExpert(env, request.Style);
            if (request.NoiseStd > 0)
                agent = new NoisyAgent(agent, request.NoiseStd);
            var injector = registration.CreateFailureInjector?.Invoke();
            int index;
            while ((index = Interlocked.Increment(ref next)) < request.Episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var record = RunEpisode(request, env, agent, injector, kinds, index, cancellationToken);
                results[index] = record;
                int finished = Interlocked.Increment(ref done);
                int won = record.Success ? Interlocked.Increment(ref successes) : Volatile.Read(ref successes);
                progress?.Report(new ProgressUpdate($"rollouts {registration.Id}", finished, request.Episodes, $"success {100.0 * won / finished:0.#}%"));
            }
        }

        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(Work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        return WhenAll(tasks, results);
    }

    /// <summary>The seed of episode <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static long EpisodeSeed(long seed, int index) => (long)(Xoshiro256.Derive(seed, index).NextUInt64() >> 1);

    private static async Task<IReadOnlyList<EpisodeRecord>> WhenAll(Task[] tasks, EpisodeRecord[] results)
    {
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    private static EpisodeRecord RunEpisode(RolloutRequest request, IEnvironment env, IAgent agent, IFailureInjector? injector,
        IReadOnlyList<string> kinds, int index, CancellationToken cancellationToken)
    {
        long seed = EpisodeSeed(request.Seed, index);
        var draws = Xoshiro256.Derive(seed, 0xFA17);
        int? task = request.Tasks is { Count: > 0 } list ? list[index % list.Count] : null;
        var reset = env.Reset(seed, new ResetOptions(task));
        agent.Reset(seed);
        FailurePlan? plan = null;
        if (injector is not null && kinds.Count > 0 && draws.NextDouble() < request.FailureRate)
            plan = injector.Draw(kinds[draws.NextInt(kinds.Count)], draws, reset.Info.TaskIndex);

        var observations = new List<float[]>();
        var actions = new List<float[]>();
        var rewards = new List<float>();
        var modal = Unwrap(agent) as IModalAgent;
        var infoNames = request.RecordSteps && modal is not null ? modal.InfoNames : [];
        var infos = infoNames.Select(_ => new List<float>()).ToArray();
        var observation = reset.Observation;
        double total = 0;
        int warnings = 0;
        StepResult step;
        do
        {
            if ((env.ElapsedSteps & 63) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (plan is not null)
                injector!.BeforeStep(plan, env.ElapsedSteps, env, agent);
            var action = agent.Act(observation);
            step = env.Step(action);
            if (request.RecordSteps)
            {
                observations.Add(observation);
                actions.Add(action);
                rewards.Add((float)step.Reward);
                if (infos.Length > 0)
                {
                    var values = modal!.StepInfo();
                    for (int i = 0; i < infos.Length; i++)
                        infos[i].Add(values[i]);
                }
            }

            total += step.Reward;
            warnings += step.Info.Warnings.Count;
            observation = step.Observation;
        }
        while (!step.Done);

        return new EpisodeRecord(index, seed, step.Info.TaskIndex, env.Spec.Tasks[step.Info.TaskIndex].Instruction, env.ElapsedSteps, total,
            step.Info.IsSuccess, step.Terminated, step.Truncated, plan, warnings,
            [.. observations], [.. actions], [.. rewards], observation,
            infoNames.Select((name, i) => (name, values: infos[i].ToArray())).ToDictionary(p => p.name, p => p.values, StringComparer.Ordinal));
    }

    private static IAgent Unwrap(IAgent agent) => agent is NoisyAgent noisy ? Unwrap(noisy.Inner) : agent;
}
