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
        int m = keep.Count;
        var obsBytes = AsFloat32(observations, D4rlKeys.Observations);
        var actBytes = AsFloat32(actions, D4rlKeys.Actions);
        int obsRow = obsBytes.Length / Math.Max(1, n);
        int actRow = actBytes.Length / Math.Max(1, n);
        var outObs = new byte[(long)m * obsRow];
        var outNext = new byte[(long)m * obsRow];
        var outAct = new byte[(long)m * actRow];
        var outRew = new float[m];
        var outTerm = new byte[m];

        // Kept rows come in long consecutive runs (between episode ends), so copy run by run.
        int j = 0;
        while (j < m)
        {
            int first = keep[j];
            int run = 1;
            while (j + run < m && keep[j + run] == first + run)
                run++;
            Buffer.BlockCopy(obsBytes, first * obsRow, outObs, j * obsRow, run * obsRow);
            Buffer.BlockCopy(obsBytes, (first + 1) * obsRow, outNext, j * obsRow, run * obsRow);
            Buffer.BlockCopy(actBytes, first * actRow, outAct, j * actRow, run * actRow);
            for (int k = 0; k < run; k++)
            {
                outRew[j + k] = rewards[first + k];
                outTerm[j + k] = terminals[first + k] ? (byte)1 : (byte)0;
            }

            j += run;
        }

        int[] obsShape = [m, .. observations.Shape[1..]];
        int[] actShape = [m, .. actions.Shape[1..]];
        return new QLearningTransitions(
            new NdArray(DType.Float32, obsShape, outObs), new NdArray(DType.Float32, actShape, outAct), new NdArray(DType.Float32, obsShape, outNext),
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

    /// <summary>The float32 bytes of a column: the stored bytes when already float32 (d4rl's astype(float32)).</summary>
    private static byte[] AsFloat32(NdArray array, string key) => array.DType == DType.Float32
        ? array.Data
        : array.DType is DType.String ? throw new InvalidDataException($"'{key}' is not numeric.") : MemoryMarshal.AsBytes(array.ToFloats().AsSpan()).ToArray();
}
