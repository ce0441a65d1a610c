using Robotics.Datasets.Statistics;

namespace Robotics.Policies.Processing;

/// <summary>
/// Maps each element as (x - offset) / scale. Two modes, named as in LeRobot's normalization_mapping:
/// <c>min_max</c> sends [min, max] to [-1, 1] (Diffusion Policy's "limits" mode, which keeps diffusion targets
/// bounded) and <c>mean_std</c> standardises (robust to rare outliers such as collision velocities, which would
/// otherwise squash every ordinary value towards 0). Elements that never vary map to 0 and back to their constant.
/// </summary>
public sealed class AffineNormalizer
{
    public const string MinMax = "min_max";
    public const string MeanStd = "mean_std";
    public static IReadOnlyList<string> Modes { get; } = [MinMax, MeanStd];

    private const float MinScale = 1e-4f;
    private readonly float[] offset;
    private readonly float[] scale;

    private AffineNormalizer(float[] offset, float[] scale)
    {
        Dim = offset.Length;
        this.offset = offset;
        this.scale = scale.Select(s => s < MinScale ? float.PositiveInfinity : s).ToArray();
    }

    public int Dim { get; }

    /// <summary>The normaliser of <paramref name="mode"/> (<see cref="Modes"/>) over <paramref name="stats"/>.</summary>
    public static AffineNormalizer Create(string mode, FeatureStatistics stats)
    {
        // In float32, as the values it maps (a checkpoint's float32 statistics give exactly the float32 normaliser).
        var min = stats.Min.Select(v => (float)v).ToArray();
        var max = stats.Max.Select(v => (float)v).ToArray();
        int dim = min.Length;
        if (max.Length != dim)
            throw new ArgumentException($"Statistics min has {dim} elements but max has {max.Length}.");
        switch (mode)
        {
            case MinMax:
                return new AffineNormalizer(
                    min.Select((lo, j) => (max[j] + lo) / 2).ToArray(),
                    min.Select((lo, j) => (max[j] - lo) / 2).ToArray());
            case MeanStd:
                if (stats.Mean.Length != dim || stats.Std.Length != dim || stats.Mean.Concat(stats.Std).Any(v => !double.IsFinite(v)))
                    throw new ArgumentException($"mean_std normalisation needs finite mean and std of {dim} elements in the statistics.");
                return new AffineNormalizer(stats.Mean.Select(v => (float)v).ToArray(), stats.Std.Select(v => (float)v).ToArray());
            default:
                throw new ArgumentException($"Unknown normalisation mode '{mode}'; known: {string.Join(", ", Modes)}.");
        }
    }

    public float[] Normalize(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = (values[i] - offset[i % Dim]) / scale[i % Dim];
        return result;
    }

    public float[] Unnormalize(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float s = scale[i % Dim];
            result[i] = float.IsPositiveInfinity(s) ? offset[i % Dim] : values[i] * s + offset[i % Dim];
        }

        return result;
    }
}
