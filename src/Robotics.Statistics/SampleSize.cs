using MathNet.Numerics.Distributions;

namespace Robotics.Statistics;

/// <summary>
/// How many episodes a comparison of two policies' success rates needs, and what a given budget can
/// tell apart. Planning with these before a sweep avoids the common outcome of robot evaluations:
/// a comparison too small to mean anything (50 episodes per policy cannot reliably separate 60%
/// from 75%).
/// </summary>
public static class SampleSize
{
    /// <summary>Slack before rounding up, so a formula value of 100.0000000001 is not read as 101.</summary>
    private const double RoundingSlack = 1e-9;

    /// <summary>
    /// Episodes per policy for a two-sided two-proportion test at level <paramref name="alpha"/> to
    /// detect rates <paramref name="p1"/> vs <paramref name="p2"/> with probability
    /// <paramref name="power"/>; Fleiss' formula without continuity correction,
    /// n = (z_{1-alpha/2} sqrt(2 pbar qbar) + z_{power} sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2, rounded up.
    /// </summary>
    public static int EpisodesPerArm(double p1, double p2, double alpha = 0.05, double power = 0.8) =>
        RoundUp(Uncorrected(p1, p2, alpha, power));

    /// <summary>
    /// As <see cref="EpisodesPerArm"/> with Fleiss' continuity correction
    /// n' = n/4 (1 + sqrt(1 + 4 / (n |p1 - p2|)))^2, matching tables computed for the corrected
    /// chi-square test (e.g. Fleiss, Levin and Paik, Statistical Methods for Rates and Proportions).
    /// Use it when the analysis will be Fisher's exact test, which the correction approximates better.
    /// </summary>
    public static int EpisodesPerArmContinuityCorrected(double p1, double p2, double alpha = 0.05, double power = 0.8)
    {
        var n = Uncorrected(p1, p2, alpha, power);
        var root = 1 + Math.Sqrt(1 + (4 / (n * Math.Abs(p1 - p2))));
        return RoundUp(n / 4 * root * root);
    }

    /// <summary>
    /// Approximate power of the two-sided two-proportion z test with <paramref name="nPerArm"/>
    /// episodes per policy: the inverse of <see cref="EpisodesPerArm"/>,
    /// Phi((|d| sqrt(n) - z_{1-alpha/2} sqrt(2 pbar qbar)) / sqrt(p1 q1 + p2 q2)), plus the (usually
    /// negligible) probability of rejecting in the wrong direction, so equal rates give alpha.
    /// </summary>
    public static double Power(double p1, double p2, int nPerArm, double alpha = 0.05)
    {
        CheckRates(p1, p2, allowEqual: true);
        ArgumentRules.OpenUnit(alpha, nameof(alpha));
        if (nPerArm < 1)
        {
            throw new ArgumentException($"nPerArm must be >= 1, got {nPerArm}.", nameof(nPerArm));
        }

        var (null0, alternative) = Spreads(p1, p2);
        var z = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var shift = Math.Abs(p1 - p2) * Math.Sqrt(nPerArm);
        if (alternative == 0)
        {
            // Both rates at 0 or 1: no variance, the outcome is certain.
            return p1 == p2 ? 0 : 1;
        }

        return Normal.CDF(0, 1, (shift - (z * null0)) / alternative)
            + Normal.CDF(0, 1, (-shift - (z * null0)) / alternative);
    }

    /// <summary>
    /// The smallest improvement d over a baseline rate <paramref name="p"/> such that
    /// EpisodesPerArm(p, p + d) &lt;= <paramref name="nPerArm"/> (found by bisection): the
    /// "d-point difference you can tell" with this budget. NaN when even p + d = 1 is not detectable.
    /// </summary>
    public static double DetectableDifference(double p, int nPerArm, double alpha = 0.05, double power = 0.8)
    {
        ArgumentRules.Probability(p, nameof(p));
        ArgumentRules.OpenUnit(alpha, nameof(alpha));
        ArgumentRules.OpenUnit(power, nameof(power));
        if (nPerArm < 1)
        {
            throw new ArgumentException($"nPerArm must be >= 1, got {nPerArm}.", nameof(nPerArm));
        }

        bool Detectable(double d) => EpisodesPerArm(p, Math.Min(1, p + d), alpha, power) <= nPerArm;

        var high = 1 - p;
        if (high <= 0 || !Detectable(high))
        {
            return double.NaN;
        }

        var low = 0.0;
        for (var iteration = 0; iteration < 100 && high - low > 1e-12; iteration++)
        {
            var middle = (low + high) / 2;
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (Detectable(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    private static double Uncorrected(double p1, double p2, double alpha, double power)
    {
        CheckRates(p1, p2, allowEqual: false);
        ArgumentRules.OpenUnit(alpha, nameof(alpha));
        ArgumentRules.OpenUnit(power, nameof(power));
        var (null0, alternative) = Spreads(p1, p2);
        var sum = (Normal.InvCDF(0, 1, 1 - (alpha / 2)) * null0) + (Normal.InvCDF(0, 1, power) * alternative);
        var d = p1 - p2;
        return sum * sum / (d * d);
    }

    /// <summary>Standard deviations (times sqrt n) of the rate difference under equal rates and under (p1, p2).</summary>
    private static (double Null, double Alternative) Spreads(double p1, double p2)
    {
        var pBar = (p1 + p2) / 2;
        return (Math.Sqrt(2 * pBar * (1 - pBar)), Math.Sqrt((p1 * (1 - p1)) + (p2 * (1 - p2))));
    }

    private static void CheckRates(double p1, double p2, bool allowEqual)
    {
        ArgumentRules.Probability(p1, nameof(p1));
        ArgumentRules.Probability(p2, nameof(p2));
        if (!allowEqual && p1 == p2)
        {
            throw new ArgumentException($"p1 and p2 must differ (both {p1}): no sample size detects no difference.", nameof(p2));
        }
    }

    private static int RoundUp(double n)
    {
        var rounded = Math.Ceiling(n - RoundingSlack);
        if (rounded > int.MaxValue)
        {
            throw new ArgumentException($"The difference is too small: it would need {n:E3} episodes per arm.");
        }

        return Math.Max(1, (int)rounded);
    }
}
