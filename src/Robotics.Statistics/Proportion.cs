using MathNet.Numerics.Distributions;

namespace Robotics.Statistics;

/// <summary>
/// Confidence intervals for a success rate from k successes in n episodes. The textbook
/// "p ± 1.96 sqrt(p(1-p)/n)" (Wald) interval collapses to zero width at 0/n and n/n and badly
/// under-covers at the small n typical of robot evaluations, so only the two intervals recommended
/// by Brown, Cai and DasGupta (2001) and Newcombe (1998) are offered.
/// </summary>
public static class Proportion
{
    /// <summary>
    /// The Wilson score interval: the set of rates p whose score test does not reject k/n. Close to
    /// nominal coverage on average; the default choice for reporting a success rate.
    /// </summary>
    /// <param name="successes">Number of successful episodes, 0..n.</param>
    /// <param name="n">Number of episodes; 0 gives the uninformative interval (0, 1).</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    public static Interval Wilson(int successes, int n, double confidence = 0.95)
    {
        ArgumentRules.Counts(successes, n, nameof(successes), nameof(n));
        ArgumentRules.OpenUnit(confidence, nameof(confidence));
        if (n == 0)
        {
            return new Interval(0, 1);
        }

        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var z2 = z * z;
        var k = (double)successes;
        var denominator = n + z2;
        var centre = (k + (z2 / 2)) / denominator;
        var half = z / denominator * Math.Sqrt((k * (n - k) / n) + (z2 / 4));
        var low = successes == 0 ? 0 : Math.Max(0, centre - half);
        var high = successes == n ? 1 : Math.Min(1, centre + half);
        return new Interval(low, high);
    }

    /// <summary>
    /// The Clopper-Pearson "exact" interval, inverting two one-sided binomial tests through Beta
    /// quantiles. Guaranteed coverage at least the nominal level (conservative, so wider than
    /// Wilson); use it when a claim must not overstate certainty, e.g. a safety rate.
    /// </summary>
    /// <param name="successes">Number of successful episodes, 0..n.</param>
    /// <param name="n">Number of episodes; 0 gives the uninformative interval (0, 1).</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    public static Interval ClopperPearson(int successes, int n, double confidence = 0.95)
    {
        ArgumentRules.Counts(successes, n, nameof(successes), nameof(n));
        ArgumentRules.OpenUnit(confidence, nameof(confidence));
        if (n == 0)
        {
            return new Interval(0, 1);
        }

        var tail = (1 - confidence) / 2;
        var low = successes == 0 ? 0 : BetaQuantile.Of(successes, n - successes + 1, tail);
        var high = successes == n ? 1 : BetaQuantile.Of(successes + 1, n - successes, 1 - tail);
        return new Interval(low, high);
    }
}
