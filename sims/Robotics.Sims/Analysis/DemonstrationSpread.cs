using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Analysis;

/// <summary>
/// Samples a demonstrator's action distribution at identical states. For each start state (an environment seed) the
/// agent is reset with several demonstration seeds and rolled out from that same state: the first observation is bit
/// for bit the same across draws, so the first actions are samples of p(a | s0), and the paths show where the draws
/// take the robot. A deterministic expert gives one action per state; a multimodal one gives several clusters.
/// </summary>
public static class DemonstrationSpread
{
    /// <summary>Two first actions whose directions differ by more than this belong to different modes.</summary>
    public const double ModeAngleDegrees = 45.0;

    /// <param name="environmentId">A registered environment.</param>
    /// <param name="createAgent">The demonstrator (e.g. the expert in some style) for an environment instance.</param>
    /// <param name="starts">Start states (environment seeds seed+0..).</param>
    /// <param name="draws">Demonstration seeds per start state.</param>
    /// <param name="steps">Steps rolled out per draw (the paths' length).</param>
    /// <param name="tasks">Tasks to cycle through over the start states (null: the environment's own draw).</param>
    public static DemonstrationSpreadResult Measure(string environmentId, Func<IEnvironment, IAgent> createAgent, int starts, int draws, int steps,
        long seed, IReadOnlyList<int>? tasks = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(starts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        using var env = EnvironmentRegistry.Create(environmentId);
        var agent = createAgent(env);
        var results = new List<SpreadStart>();
        for (int s = 0; s < starts; s++)
        {
            long envSeed = seed + s;
            int? task = tasks is { Count: > 0 } ? tasks[s % tasks.Count] : null;
            var first = new float[draws][];
            var paths = new float[draws][][];
            var modes = new float[draws];
            int taskIndex = 0;
            for (int d = 0; d < draws; d++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var reset = env.Reset(envSeed, new ResetOptions(task));
                taskIndex = reset.Info.TaskIndex;
                agent.Reset((long)(Xoshiro256.Derive(envSeed, 0x5EED + d).NextUInt64() >> 1));
                var observation = reset.Observation;
                var path = new List<float[]> { observation };
                for (int t = 0; t < steps; t++)
                {
                    var action = agent.Act(observation);
                    if (t == 0)
                    {
                        first[d] = action;
                        modes[d] = agent is IModalAgent { InfoNames.Count: > 0 } modal ? modal.StepInfo()[0] : 0f;
                    }

                    var step = env.Step(action);
                    observation = step.Observation;
                    path.Add(observation);
                    if (step.Done)
                        break;
                }

                paths[d] = [.. path];
            }

            results.Add(new SpreadStart(envSeed, taskIndex, first, paths, modes, CountModes(first)));
        }

        return new DemonstrationSpreadResult(environmentId, draws, results);
    }

    /// <summary>Greedy clustering of action directions: a new cluster whenever an action is more than 45° from every cluster seen.</summary>
    public static int CountModes(IReadOnlyList<float[]> actions)
    {
        var centres = new List<float[]>();
        foreach (var a in actions)
        {
            if (Norm(a) < 1e-6)
            {
                if (!centres.Any(c => Norm(c) < 1e-6))
                    centres.Add(a);
                continue;
            }

            if (!centres.Any(c => Norm(c) >= 1e-6 && AngleDegrees(a, c) <= ModeAngleDegrees))
                centres.Add(a);
        }

        return centres.Count;
    }

    public static double AngleDegrees(float[] a, float[] b)
    {
        double dot = 0;
        for (int i = 0; i < a.Length; i++)
            dot += a[i] * b[i];
        double cos = Math.Clamp(dot / (Norm(a) * Norm(b)), -1.0, 1.0);
        return Math.Acos(cos) * 180.0 / Math.PI;
    }

    private static double Norm(float[] a)
    {
        double s = 0;
        foreach (var v in a)
            s += v * v;
        return Math.Sqrt(s);
    }
}
