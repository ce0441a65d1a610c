namespace Robotics.Datasets.Statistics;

/// <summary>
/// Per-element statistics of one feature (each array has one entry per element of a row), in
/// LeRobot's stats.json vocabulary. Quantiles are exact for corpora up to the reservoir size and
/// estimated from a seeded uniform reservoir of rows beyond it.
/// </summary>
public sealed record FeatureStatistics(
    string Key,
    IReadOnlyList<int> Shape,
    double[] Mean,
    double[] Std,
    double[] Min,
    double[] Max,
    double[] Q01,
    double[] Q10,
    double[] Q50,
    double[] Q90,
    double[] Q99,
    long Count)
{
    public int Width => Mean.Length;

    /// <summary>Normalises one row in place: (x - mean) / std, or to [-1, 1] by min/max or q01/q99.</summary>
    public void Normalize(Span<float> row, NormalizationMode mode)
    {
        CheckWidth(row.Length);
        for (int i = 0; i < row.Length; i++)
            row[i] = mode switch
            {
                NormalizationMode.MeanStd => (float)((row[i] - Mean[i]) / Math.Max(Std[i], 1e-8)),
                NormalizationMode.MinMax => (float)(2 * (row[i] - Min[i]) / Math.Max(Max[i] - Min[i], 1e-8) - 1),
                NormalizationMode.Quantile => (float)(2 * (row[i] - Q01[i]) / Math.Max(Q99[i] - Q01[i], 1e-8) - 1),
                _ => row[i],
            };
    }

    /// <summary>The inverse of <see cref="Normalize"/> for the same mode.</summary>
    public void Denormalize(Span<float> row, NormalizationMode mode)
    {
        CheckWidth(row.Length);
        for (int i = 0; i < row.Length; i++)
            row[i] = mode switch
            {
                NormalizationMode.MeanStd => (float)(row[i] * Math.Max(Std[i], 1e-8) + Mean[i]),
                NormalizationMode.MinMax => (float)((row[i] + 1) / 2 * Math.Max(Max[i] - Min[i], 1e-8) + Min[i]),
                NormalizationMode.Quantile => (float)((row[i] + 1) / 2 * Math.Max(Q99[i] - Q01[i], 1e-8) + Q01[i]),
                _ => row[i],
            };
    }

    private void CheckWidth(int length)
    {
        if (length != Width)
            throw new ArgumentException($"Normalise one row of '{Key}' at a time ({Width} elements); got {length}.");
    }
}
