using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.D4rl;

/// <summary>
/// d4rl.qlearning_dataset, rule for rule: for i in 0..N-2, next_obs = observations[i + 1]; the
/// final timestep is timeouts[i] when the file has timeouts, else episode_step == max_episode_steps - 1;
/// a final-timestep transition is skipped unless terminate_on_end; terminal transitions are kept.
/// Row N-1 is never used. Like the reference, after a kept terminal (or final) transition the step
/// counter restarts at 0 and is then incremented, so the next episode starts counting at 1.
/// </summary>
public static class QLearningDataset
{
    public static QLearningTransitions Build(FlatDataset dataset, bool terminateOnEnd = false, int? maxEpisodeSteps = null)
    {
        var observations = dataset.Column(D4rlKeys.Observations);
        var actions = dataset.Column(D4rlKeys.Actions);
        bool[] terminals = dataset.Flags(D4rlKeys.Terminals);
        bool[]? timeouts = dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.Flags(D4rlKeys.Timeouts) : null;
        float[] rewards = dataset.Column(D4rlKeys.Rewards).ToFloats();
        if (timeouts is null && maxEpisodeSteps is null)
            throw new ArgumentException("The dataset has no timeouts, so max_episode_steps is needed to find episode ends.", nameof(maxEpisodeSteps));

        int n = checked((int)dataset.RowCount);
        var keep = Select(terminals, timeouts, terminateOnEnd, maxEpisodeSteps ?? 0, n);
        int obsWidth = observations.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        int actWidth = actions.Shape.Skip(1).Aggregate(1, (a, b) => a * b);
        float[] obs = AsFloats(observations, D4rlKeys.Observations);
        float[] act = AsFloats(actions, D4rlKeys.Actions);

        int m = keep.Count;
        var outObs = new float[(long)m * obsWidth];
        var outNext = new float[(long)m * obsWidth];
        var outAct = new float[(long)m * actWidth];
        var outRew = new float[m];
        var outTerm = new byte[m];
        for (int j = 0; j < m; j++)
        {
            int i = keep[j];
            Array.Copy(obs, (long)i * obsWidth, outObs, (long)j * obsWidth, obsWidth);
            Array.Copy(obs, (long)(i + 1) * obsWidth, outNext, (long)j * obsWidth, obsWidth);
            Array.Copy(act, (long)i * actWidth, outAct, (long)j * actWidth, actWidth);
            outRew[j] = rewards[i];
            outTerm[j] = terminals[i] ? (byte)1 : (byte)0;
        }

        int[] obsShape = [m, .. observations.Shape[1..]];
        int[] actShape = [m, .. actions.Shape[1..]];
        return new QLearningTransitions(
            NdArray.FromFloats(outObs, obsShape), NdArray.FromFloats(outAct, actShape), NdArray.FromFloats(outNext, obsShape),
            NdArray.FromFloats(outRew, m), new NdArray(DType.Bool, [m], outTerm));
    }

    /// <summary>The row indices i whose transition (i -> i + 1) the reference keeps, in order.</summary>
    public static List<int> Select(ReadOnlySpan<bool> terminals, ReadOnlySpan<bool> timeouts, bool terminateOnEnd, int maxEpisodeSteps, int n)
    {
        bool useTimeouts = timeouts.Length > 0;
        var keep = new List<int>(Math.Max(0, n - 1));
        int episodeStep = 0;
        for (int i = 0; i < n - 1; i++)
        {
            bool done = terminals[i];
            bool final = useTimeouts ? timeouts[i] : episodeStep == maxEpisodeSteps - 1;
            if (!terminateOnEnd && final)
            {
                episodeStep = 0;
                continue;
            }

            if (done || final)
                episodeStep = 0;
            keep.Add(i);
            episodeStep++;
        }

        return keep;
    }

    public static List<int> Select(bool[] terminals, bool[]? timeouts, bool terminateOnEnd, int maxEpisodeSteps, int n) =>
        Select(terminals.AsSpan(), timeouts is null ? ReadOnlySpan<bool>.Empty : timeouts.AsSpan(), terminateOnEnd, maxEpisodeSteps, n);

    private static float[] AsFloats(NdArray array, string key) => array.DType == DType.Float32
        ? MemoryMarshal.Cast<byte, float>(array.Data).ToArray()
        : array.DType is DType.String ? throw new InvalidDataException($"'{key}' is not numeric.") : array.ToFloats();
}
