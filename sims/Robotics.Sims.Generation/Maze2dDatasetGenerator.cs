using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Maze2d;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Generation;

/// <summary>
/// D4RL's generate_maze2d_datasets.py: one continuous trajectory in a dense-reward maze with a fixed
/// (non-resetting) target, driven by the waypoint controller; after the controller reports solved or
/// the segment reaches the episode limit a new random target is drawn (the particle is not reset).
/// Written with the released files' defects fixed (listed in metadata/generator_fixes):
/// <list type="bullet">
/// <item>timeouts are written, and mark the time limit: the last row (max_episode_steps - 1) of a
/// target segment that ran out of time; goal-reached rows are in infos/goal_reached instead;</item>
/// <item>rewards are step-aligned: rewards[i] is computed on the observation AFTER actions[i], against the
/// maze's fixed goal, with the env's reward type (the released files are one step early);</item>
/// <item>no stale observation after a target change: observations[i + 1] is always the state reached by actions[i];</item>
/// <item>the last row is also a timeout (the sample budget truncates the final segment).</item>
/// </list>
/// terminals are all false (maze2d never terminates).
/// </summary>
public static class Maze2dDatasetGenerator
{
    /// <summary>Row where the expert reported the current target solved (a new one is drawn after it).</summary>
    public const string GoalReachedKey = "infos/goal_reached";

    public static readonly string[] Fixes =
    [
        "timeouts written and set on the row where the per-target step counter hits max_episode_steps - 1 (the time limit), not on goal reached; goal reached is infos/goal_reached",
        "rewards step-aligned: rewards[i] is computed on the observation after actions[i] against the maze's fixed goal (released files are one step early)",
        "no stale observation after a new target is drawn: observations[i+1] is the state reached by actions[i]",
        "segments last at most max_episode_steps rows (the original script allowed max_episode_steps + 1)",
        "the last row is a timeout too: the sample budget truncates the final segment",
    ];

    public static FlatDataset Generate(Maze2dGenerationOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var registration = EnvironmentRegistry.Get(options.EnvironmentId);
        using var probe = (Maze2dEnvironment)registration.Create();
        var layout = probe.Layout;
        var rewardType = probe.RewardType;
        int maxSteps = options.MaxEpisodeSteps ?? probe.Spec.MaxEpisodeSteps;
        int n = (int)options.Samples;

        // The generation env never hits a time limit itself: segments are cut by the counter below.
        using var env = new Maze2dEnvironment(registration.Id, layout, Maze2dRewardType.Dense, int.MaxValue);
        bool multimodal = options.Style == DemoStyle.Multimodal;
        var expert = new Maze2dWaypointExpert(layout, (long)(Xoshiro256.Derive(options.Seed, 1).NextUInt64() >> 1), randomRoutes: multimodal);
        var noise = Xoshiro256.Derive(options.Seed, 2);

        var observations = new float[n * 4];
        var actions = new float[n * 2];
        var rewards = new float[n];
        var terminals = new byte[n];
        var timeouts = new byte[n];
        var goalReached = new byte[n];
        var alternate = multimodal ? new float[n] : null;
        var goals = new float[n * 2];
        var qpos = new float[n * 2];
        var qvel = new float[n * 2];

        env.Reset(options.Seed);
        env.SetRandomTarget();
        var goal = layout.Goal;
        int segmentStep = 0;
        int held = -1; // steps held at a solved target so far (-1: not solved yet)
        const int ReportEvery = 10_000;
        for (int i = 0; i < n; i++)
        {
            if (i % ReportEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ProgressUpdate($"generate {registration.Id}", i, n));
            }

            var state = env.State;
            var (ax, ay, solved) = expert.Act((state.X, state.Y), (state.Vx, state.Vy), env.Target);
            if (options.Noisy)
            {
                ax += noise.Normal() * Maze2dGenerationOptions.NoiseScale;
                ay += noise.Normal() * Maze2dGenerationOptions.NoiseScale;
            }

            ax = Math.Clamp(ax, -1.0, 1.0);
            ay = Math.Clamp(ay, -1.0, 1.0);
            bool timeLimit = segmentStep >= maxSteps - 1;

            observations[4 * i] = qpos[2 * i] = (float)state.X;
            observations[4 * i + 1] = qpos[2 * i + 1] = (float)state.Y;
            observations[4 * i + 2] = qvel[2 * i] = (float)state.Vx;
            observations[4 * i + 3] = qvel[2 * i + 1] = (float)state.Vy;
            actions[2 * i] = (float)ax;
            actions[2 * i + 1] = (float)ay;
            goals[2 * i] = (float)env.Target.X;
            goals[2 * i + 1] = (float)env.Target.Y;
            timeouts[i] = timeLimit ? (byte)1 : (byte)0;
            goalReached[i] = solved && held < 0 ? (byte)1 : (byte)0; // the row the target was reached, not the held ones
            if (alternate is not null)
                alternate[i] = expert.OnAlternateRoute ? 1f : 0f;

            env.Step([(float)ax, (float)ay]);
            var next = env.State;
            double distance = Math.Sqrt((next.X - goal.W) * (next.X - goal.W) + (next.Y - goal.H) * (next.Y - goal.H));
            rewards[i] = (float)Maze2dEnvironment.Reward(distance, rewardType);

            segmentStep++;
            // D4RL draws the next target the step the controller reports solved; with HoldSteps it keeps steering at
            // the reached target that many steps first, so the corpus also shows arriving and staying.
            if (solved && held < 0)
                held = 0;
            else if (held >= 0)
                held++;
            if ((held >= options.HoldSteps) || timeLimit)
            {
                held = -1;
                env.SetRandomTarget();
                segmentStep = 0;
            }
        }

        // The sample budget cuts the last segment off: a truncation, so the file ends on a boundary.
        timeouts[n - 1] = 1;
        progress?.Report(new ProgressUpdate($"generate {registration.Id}", n, n));
        var columns = new Dictionary<string, NdArray>
        {
            [D4rlKeys.Observations] = Floats(observations, n, 4),
            [D4rlKeys.Actions] = Floats(actions, n, 2),
            [D4rlKeys.Rewards] = NdArray.FromFloats(rewards, n),
            [D4rlKeys.Terminals] = new NdArray(DType.Bool, [n], terminals),
            [D4rlKeys.Timeouts] = new NdArray(DType.Bool, [n], timeouts),
            ["infos/goal"] = Floats(goals, n, 2),
            ["infos/qpos"] = Floats(qpos, n, 2),
            ["infos/qvel"] = Floats(qvel, n, 2),
            [GoalReachedKey] = new NdArray(DType.Bool, [n], goalReached),
        };
        if (alternate is not null)
            columns["infos/demo_alternate_route"] = NdArray.FromFloats(alternate, n);
        var metadata = new Dictionary<string, MetadataValue>
        {
            ["metadata/algorithm"] = MetadataValue.FromText("D4RL maze2d waypoint controller (Q-iteration waypoints, P 10, D -1), robotics sims"),
            ["metadata/env"] = MetadataValue.FromText(registration.Id),
            ["metadata/demo_style"] = MetadataValue.FromText(multimodal ? "multimodal" : "scripted"),
            ["metadata/hold_steps"] = MetadataValue.FromArray(NdArray.FromFloats([options.HoldSteps], 1)),
            ["metadata/maze"] = MetadataValue.FromText(layout.Spec),
            ["metadata/reward_type"] = MetadataValue.FromText(rewardType.ToString().ToLowerInvariant()),
            ["metadata/max_episode_steps"] = MetadataValue.FromArray(new NdArray(DType.Int64, [], BitConverter.GetBytes((long)maxSteps))),
            ["metadata/seed"] = MetadataValue.FromArray(new NdArray(DType.Int64, [], BitConverter.GetBytes(options.Seed))),
            ["metadata/noisy"] = MetadataValue.FromArray(new NdArray(DType.Bool, [], [options.Noisy ? (byte)1 : (byte)0])),
            ["metadata/generator_fixes"] = MetadataValue.FromStrings(Fixes),
        };
        return new FlatDataset(columns, metadata);
    }

    private static NdArray Floats(float[] values, int rows, int columns) =>
        new(DType.Float32, [rows, columns], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
