namespace Robotics.Cli.Commands.Eval;

/// <summary>
/// Aggregates with 95% intervals: success rate with the Wilson score interval (sound for rates near 0 or 1),
/// mean return and D4RL normalised score (where the environment has reference scores) with a normal interval.
/// </summary>
public sealed record EvaluationSummary(
    int Episodes,
    double SuccessRate,
    double SuccessLow,
    double SuccessHigh,
    double MeanReturn,
    double ReturnHalfWidth,
    double? NormalizedScore,
    double? NormalizedHalfWidth,
    double MeanInferenceMs)
{
    public static EvaluationSummary From(IReadOnlyList<EpisodeOutcome> outcomes, Func<double, double>? normalize)
    {
        int n = outcomes.Count;
        if (n == 0)
            throw new ArgumentException("No episodes to summarise.");
        int successes = outcomes.Count(o => o.Success);
        double p = successes / (double)n;
        var (low, high) = Wilson(successes, n);
        var returns = outcomes.Select(o => o.Return).ToArray();
        var (mean, hw) = MeanInterval(returns);
        double? ns = null, nsHw = null;
        if (normalize is not null)
            (ns, nsHw) = MeanInterval(returns.Select(normalize).ToArray());
        return new EvaluationSummary(n, p, low, high, mean, hw, ns, nsHw, outcomes.Average(o => o.MeanInferenceMs));
    }

    /// <summary>The 95% Wilson score interval of <paramref name="successes"/> out of <paramref name="n"/>.</summary>
    public static (double Low, double High) Wilson(int successes, int n)
    {
        if (n <= 0)
            return (0, 1);
        double p = successes / (double)n;
        const double z = 1.959963984540054;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denom;
        double half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private static (double Mean, double HalfWidth) MeanInterval(double[] values)
    {
        double mean = values.Average();
        if (values.Length < 2)
            return (mean, double.NaN);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return (mean, 1.959963984540054 * sd / Math.Sqrt(values.Length));
    }
}
