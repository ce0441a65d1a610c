namespace Robotics.Statistics.Tests;

/// <summary>
/// Binomial probabilities by summing terms directly, a route independent of the Beta functions the
/// library uses, so interval bounds can be checked against the identities that define them.
/// </summary>
internal static class ExactBinomial
{
    /// <summary>P(X &lt;= k) for X ~ Binomial(n, p), summing the terms in log space.</summary>
    public static double Cdf(int k, int n, double p)
    {
        var total = 0.0;
        for (var i = 0; i <= k; i++)
        {
            total += Term(i, n, p);
        }

        return total;
    }

    /// <summary>P(X = i) for X ~ Binomial(n, p).</summary>
    public static double Term(int i, int n, double p)
    {
        var logChoose = 0.0;
        for (var j = 1; j <= i; j++)
        {
            logChoose += Math.Log((double)(n - i + j) / j);
        }

        var logP = i == 0 ? 0 : i * Math.Log(p);
        var logQ = i == n ? 0 : (n - i) * Math.Log(1 - p);
        return Math.Exp(logChoose + logP + logQ);
    }
}
