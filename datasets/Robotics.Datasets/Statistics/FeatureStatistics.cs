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

    /// <summary>
    /// The statistics of the union of the rows behind <paramref name="parts"/> (the same feature in several corpora):
    /// count, mean and std pooled exactly from each part's moments, min and max exactly; quantiles cannot be pooled
    /// from summaries, so they are kept only for a single part (NaN otherwise).
    /// </summary>
    public static FeatureStatistics Merge(IReadOnlyList<FeatureStatistics> parts)
    {
        if (parts.Count == 0)
            throw new ArgumentException("Nothing to merge.", nameof(parts));
        if (parts.Count == 1)
            return parts[0];
        var first = parts[0];
        foreach (var p in parts)
        {
            if (p.Width != first.Width)
                throw new ArgumentException($"'{p.Key}' has {p.Width} elements in one part and {first.Width} in another.", nameof(parts));
            if (p.Count <= 0)
                throw new ArgumentException($"'{p.Key}': a part without a row count cannot be pooled.", nameof(parts));
        }

        long count = parts.Sum(p => p.Count);
        var mean = new double[first.Width];
        var std = new double[first.Width];
        for (int j = 0; j < first.Width; j++)
        {
            mean[j] = parts.Sum(p => p.Count * p.Mean[j]) / count;
            double m = mean[j];
            std[j] = Math.Sqrt(parts.Sum(p => p.Count * (p.Std[j] * p.Std[j] + (p.Mean[j] - m) * (p.Mean[j] - m))) / count);
        }

        double[] Fold(Func<FeatureStatistics, double[]> get, Func<double, double, double> pick) =>
            Enumerable.Range(0, first.Width).Select(j => parts.Select(p => get(p)[j]).Aggregate(pick)).ToArray();
        var nan = Enumerable.Repeat(double.NaN, first.Width).ToArray();
        return new FeatureStatistics(first.Key, first.Shape, mean, std, Fold(p => p.Min, Math.Min), Fold(p => p.Max, Math.Max),
            nan, nan, nan, nan, nan, count);
    }

    /// <summary>Side-by-side features (e.g. a state and the goal appended to it) as one flat feature named <paramref name="key"/>.</summary>
    public static FeatureStatistics Concat(string key, IReadOnlyList<FeatureStatistics> parts)
    {
        if (parts.Count == 0)
            throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        if (parts.Count == 1)
            return parts[0] with { Key = key };
        double[] Join(Func<FeatureStatistics, double[]> get) => parts.SelectMany(get).ToArray();
        return new FeatureStatistics(key, [parts.Sum(p => p.Width)], Join(p => p.Mean), Join(p => p.Std), Join(p => p.Min), Join(p => p.Max),
            Join(p => p.Q01), Join(p => p.Q10), Join(p => p.Q50), Join(p => p.Q90), Join(p => p.Q99), parts.Min(p => p.Count));
    }

    private void CheckWidth(int length)
    {
        if (length != Width)
            throw new ArgumentException($"Normalise one row of '{Key}' at a time ({Width} elements); got {length}.");
    }
}
