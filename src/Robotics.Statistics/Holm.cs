namespace Robotics.Statistics;

/// <summary>
/// The Holm-Bonferroni step-down correction. Comparing k policies pairwise makes k(k-1)/2 tests, and
/// at 5% each, some "significant" differences would appear by chance alone; Holm's adjusted p-values
/// keep the chance of any false claim (family-wise error) below alpha, and are never less powerful
/// than plain Bonferroni.
/// </summary>
public static class Holm
{
    /// <summary>
    /// Holm-adjusted p-values in the input order: with p sorted ascending, the i-th (1-based) of m
    /// becomes max over j &lt;= i of (m - j + 1) p_(j), capped at 1 (the same values as R's
    /// p.adjust(p, "holm")). Reject hypothesis i at level alpha when its adjusted value is below alpha.
    /// </summary>
    /// <param name="pValues">Unadjusted p-values, each in [0, 1].</param>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        for (var i = 0; i < pValues.Count; i++)
        {
            ArgumentRules.Probability(pValues[i], $"{nameof(pValues)}[{i}]");
        }

        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[index]));
            adjusted[index] = running;
        }

        return adjusted;
    }
}
