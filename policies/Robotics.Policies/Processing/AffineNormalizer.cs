namespace Robotics.Policies.Processing;

/// <summary>
/// Maps each element linearly from [min, max] to [-1, 1] (Diffusion Policy's "limits" mode, which keeps
/// diffusion targets bounded). Elements that never vary map to 0 and back to their constant value.
/// </summary>
public sealed class MinMaxNormalizer
{
    private const float MinRange = 1e-4f;
    private readonly float[] offset;
    private readonly float[] halfRange;

    public MinMaxNormalizer(FeatureStats stats)
    {
        Dim = stats.Min.Length;
        if (stats.Max.Length != Dim)
            throw new ArgumentException($"Statistics min has {Dim} elements but max has {stats.Max.Length}.");
        offset = new float[Dim];
        halfRange = new float[Dim];
        for (int j = 0; j < Dim; j++)
        {
            offset[j] = (stats.Max[j] + stats.Min[j]) / 2;
            float half = (stats.Max[j] - stats.Min[j]) / 2;
            halfRange[j] = half < MinRange ? float.PositiveInfinity : half;
        }
    }

    public int Dim { get; }

    public float[] Normalize(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = (values[i] - offset[i % Dim]) / halfRange[i % Dim];
        return result;
    }

    public float[] Unnormalize(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float h = halfRange[i % Dim];
            result[i] = float.IsPositiveInfinity(h) ? offset[i % Dim] : values[i] * h + offset[i % Dim];
        }

        return result;
    }
}
