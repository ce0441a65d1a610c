using MathNet.Numerics;

namespace Robotics.Statistics;

/// <summary>
/// Fisher's exact test that two policies have the same success rate, from their 2x2 table of
/// successes and failures. Exact at any sample size, unlike the chi-square test, which is unreliable
/// at the tens of episodes per policy that robot evaluations usually have.
/// </summary>
public static class FisherExact
{
    /// <summary>R's fisher.test tolerance: tables this close in probability to the observed one count as "as extreme".</summary>
    private const double RelativeTolerance = 1e-7;

    /// <summary>
    /// The two-sided p-value: conditional on the margins, the number of A's successes is
    /// hypergeometric; the p-value sums the probabilities of all tables no more probable than the
    /// observed one (times 1 + 1e-7, as R's fisher.test does, so ties are not lost to rounding).
    /// </summary>
    /// <param name="successesA">Successes of policy A, 0..nA.</param>
    /// <param name="nA">Episodes of policy A.</param>
    /// <param name="successesB">Successes of policy B, 0..nB.</param>
    /// <param name="nB">Episodes of policy B.</param>
    public static double TwoSidedPValue(int successesA, int nA, int successesB, int nB)
    {
        ArgumentRules.Counts(successesA, nA, nameof(successesA), nameof(nA));
        ArgumentRules.Counts(successesB, nB, nameof(successesB), nameof(nB));
        var successes = successesA + successesB;
        var low = Math.Max(0, successes - nB);
        var high = Math.Min(nA, successes);
        if (low == high)
        {
            return 1;
        }

        // Log-probabilities up to the common constant -log C(nA + nB, successes).
        var logs = new double[high - low + 1];
        var max = double.NegativeInfinity;
        for (var x = low; x <= high; x++)
        {
            var value = SpecialFunctions.BinomialLn(nA, x) + SpecialFunctions.BinomialLn(nB, successes - x);
            logs[x - low] = value;
            max = Math.Max(max, value);
        }

        var total = 0.0;
        var extreme = 0.0;
        var observed = Math.Exp(logs[successesA - low] - max) * (1 + RelativeTolerance);
        foreach (var value in logs)
        {
            var relative = Math.Exp(value - max);
            total += relative;
            if (relative <= observed)
            {
                extreme += relative;
            }
        }

        return Math.Min(1, extreme / total);
    }
}
