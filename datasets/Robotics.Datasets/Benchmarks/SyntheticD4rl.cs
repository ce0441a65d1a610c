using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Core.Randomness;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Benchmarks;

/// <summary>
/// A locomotion-shaped D4RL corpus for benchmarks (halfcheetah sizes: 17-D observations, 6-D
/// actions, infos/qpos 9-D, infos/qvel 8-D): smooth seeded trajectories with noise, a time limit of
/// <c>episodeLimit</c> steps (timeouts) and rare terminals. Deterministic per seed.
/// </summary>
public static class SyntheticD4rl
{
    public static FlatDataset Create(int rows, ulong seed = 0, int episodeLimit = 1000, double terminalProbability = 0.0005)
    {
        var random = new SplitMix64(seed);
        var obs = new float[(long)rows * 17];
        var act = new float[(long)rows * 6];
        var qpos = new float[(long)rows * 9];
        var qvel = new float[(long)rows * 8];
        var rewards = new float[rows];
        var terminals = new byte[rows];
        var timeouts = new byte[rows];
        var phase = new double[17];
        int step = 0;
        for (int i = 0; i < rows; i++)
        {
            if (step == 0)
            {
                for (int j = 0; j < phase.Length; j++)
                    phase[j] = random.NextDouble() * Math.Tau;
            }

            double t = step * 0.05;
            for (int j = 0; j < 17; j++)
                obs[(long)i * 17 + j] = (float)(Math.Sin(t * (1 + j * 0.1) + phase[j]) + 0.01 * (random.NextDouble() - 0.5));
            for (int j = 0; j < 6; j++)
                act[(long)i * 6 + j] = (float)Math.Clamp(Math.Cos(t * (2 + j * 0.3) + phase[j]) + 0.1 * (random.NextDouble() - 0.5), -1, 1);
            for (int j = 0; j < 9; j++)
                qpos[(long)i * 9 + j] = obs[(long)i * 17 + j];
            for (int j = 0; j < 8; j++)
                qvel[(long)i * 8 + j] = obs[(long)i * 17 + 9 + j];
            rewards[i] = (float)(obs[(long)i * 17 + 8] - 0.1 * act[(long)i * 6] * act[(long)i * 6]);
            step++;
            if (random.NextDouble() < terminalProbability)
            {
                terminals[i] = 1;
                step = 0;
            }
            else if (step == episodeLimit)
            {
                timeouts[i] = 1;
                step = 0;
            }
        }

        var columns = new Dictionary<string, NdArray>
        {
            [D4rlKeys.Observations] = NdArray.FromFloats(obs, rows, 17),
            [D4rlKeys.Actions] = NdArray.FromFloats(act, rows, 6),
            [D4rlKeys.Rewards] = NdArray.FromFloats(rewards, rows),
            [D4rlKeys.Terminals] = new NdArray(DType.Bool, [rows], terminals),
            [D4rlKeys.Timeouts] = new NdArray(DType.Bool, [rows], timeouts),
            ["infos/qpos"] = NdArray.FromFloats(qpos, rows, 9),
            ["infos/qvel"] = NdArray.FromFloats(qvel, rows, 8),
        };
        var metadata = new Dictionary<string, MetadataValue> { ["metadata/algorithm"] = MetadataValue.FromText("synthetic benchmark corpus") };
        return new FlatDataset(columns, metadata);
    }
}
