using Robotics.Detectors.Data;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// Rollouts of different lengths as one zero-padded [N, T_max, D] tensor with a [N, T_max] validity mask. Padding sits
/// at the end of each rollout, so causal models (cumulative sums, a forward LSTM) never see it at a valid call.
/// </summary>
internal static class PaddedRollouts
{
    public static (Tensor Features, Tensor Mask, int[] Lengths) Build(IReadOnlyList<FeatureRollout> rollouts, int dimension, Device device)
    {
        int n = rollouts.Count;
        int maxLength = rollouts.Max(r => r.Calls);
        var data = new float[(long)n * maxLength * dimension];
        var mask = new float[(long)n * maxLength];
        var lengths = new int[n];
        for (int i = 0; i < n; i++)
        {
            var rows = rollouts[i].Features;
            lengths[i] = rows.Length;
            for (int t = 0; t < rows.Length; t++)
            {
                rows[t].AsSpan(0, dimension).CopyTo(data.AsSpan((int)(((long)i * maxLength + t) * dimension), dimension));
                mask[(long)i * maxLength + t] = 1f;
            }
        }

        return (tensor(data, [n, maxLength, dimension], device: device), tensor(mask, [n, maxLength], device: device), lengths);
    }

    /// <summary>One rollout as [1, T, D].</summary>
    public static Tensor Single(FeatureRollout rollout, int dimension, Device device)
    {
        int length = rollout.Calls;
        var data = new float[(long)length * dimension];
        for (int t = 0; t < length; t++)
        {
            var row = rollout.Features[t];
            if (row.Length != dimension)
                throw new ArgumentException($"Rollout '{rollout.Id}': call {t} has a feature vector of width {row.Length}; the detector was fitted on width {dimension}.");
            row.CopyTo(data.AsSpan(t * dimension, dimension));
        }

        return tensor(data, [1, length, dimension], device: device);
    }

    /// <summary>Checks every call of every rollout has the same feature width and returns it.</summary>
    public static int FeatureDimension(IEnumerable<FeatureRollout> rollouts, string what)
    {
        int dimension = -1;
        foreach (var rollout in rollouts)
        {
            for (int t = 0; t < rollout.Features.Length; t++)
            {
                int width = rollout.Features[t].Length;
                if (dimension < 0)
                    dimension = width;
                else if (width != dimension)
                    throw new ArgumentException($"{what}: rollout '{rollout.Id}' call {t} has feature width {width}, earlier calls have {dimension}.");
            }
        }

        if (dimension <= 0)
            throw new ArgumentException($"{what}: no feature vectors (every rollout has zero calls, or features are empty).");
        return dimension;
    }
}
