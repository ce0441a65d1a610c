namespace Robotics.Policies.Processing;

/// <summary>Per-element statistics of one feature (LeRobot's stats.json shape: min, max, mean, std).</summary>
public sealed record FeatureStats(float[] Min, float[] Max, float[] Mean, float[] Std)
{
    /// <summary>Computes the statistics of rows of <paramref name="dim"/> values stored flat.</summary>
    public static FeatureStats Compute(IEnumerable<float[]> flatRows, int dim)
    {
        var min = Enumerable.Repeat(float.PositiveInfinity, dim).ToArray();
        var max = Enumerable.Repeat(float.NegativeInfinity, dim).ToArray();
        var sum = new double[dim];
        var sq = new double[dim];
        long count = 0;
        foreach (var flat in flatRows)
        {
            if (flat.Length % dim != 0)
                throw new ArgumentException($"A block of {flat.Length} values is not a whole number of rows of {dim}.");
            for (int r = 0; r < flat.Length / dim; r++)
            {
                for (int j = 0; j < dim; j++)
                {
                    float v = flat[r * dim + j];
                    if (!float.IsFinite(v))
                        throw new InvalidDataException($"Non-finite value {v} in row {count} element {j}.");
                    min[j] = Math.Min(min[j], v);
                    max[j] = Math.Max(max[j], v);
                    sum[j] += v;
                    sq[j] += (double)v * v;
                }

                count++;
            }
        }

        if (count == 0)
            throw new ArgumentException("Cannot compute statistics of zero rows.");
        var mean = sum.Select(s => (float)(s / count)).ToArray();
        var std = sq.Select((s, j) => (float)Math.Sqrt(Math.Max(0, s / count - mean[j] * (double)mean[j]))).ToArray();
        return new FeatureStats(min, max, mean, std);
    }
}
