namespace Robotics.Control.Metrics;

/// <summary>p50 / p99 / max / mean of a sample, in milliseconds.</summary>
public sealed record Percentiles(int Count, double P50, double P99, double Max, double Mean)
{
    public static readonly Percentiles Empty = new(0, 0, 0, 0, 0);

    public static Percentiles FromNanoseconds(IReadOnlyCollection<long> samples)
    {
        if (samples.Count == 0)
            return Empty;
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)] / 1e6;
        return new Percentiles(sorted.Length, At(0.50), At(0.99), sorted[^1] / 1e6, sorted.Average() / 1e6);
    }

    public override string ToString() => Count == 0 ? "n/a" : $"p50 {P50:F3} ms, p99 {P99:F3} ms, max {Max:F3} ms";
}
