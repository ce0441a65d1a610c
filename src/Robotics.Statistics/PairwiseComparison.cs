namespace Robotics.Statistics;

/// <summary>
/// All-pairs comparison of policies' success rates with the multiple-comparison correction applied,
/// so a sweep over many policies does not report differences that are only noise.
/// </summary>
public static class PairwiseComparison
{
    /// <summary>
    /// Compares every pair (in input order: groups[i] against groups[j] for i &lt; j) with Fisher's
    /// exact two-sided test and Holm-adjusts the p-values across all pairs.
    /// </summary>
    /// <param name="groups">The policies' counts; names must be unique.</param>
    /// <param name="alpha">Family-wise error rate, strictly between 0 and 1.</param>
    public static IReadOnlyList<PairwiseResult> Compare(IReadOnlyList<GroupCount> groups, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentRules.OpenUnit(alpha, nameof(alpha));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i] is null)
            {
                throw new ArgumentException($"groups[{i}] is null.", nameof(groups));
            }

            if (!names.Add(groups[i].Name))
            {
                throw new ArgumentException($"groups has the name '{groups[i].Name}' more than once.", nameof(groups));
            }
        }

        var pairs = new List<(GroupCount A, GroupCount B, double P)>();
        for (var i = 0; i < groups.Count; i++)
        {
            for (var j = i + 1; j < groups.Count; j++)
            {
                var a = groups[i];
                var b = groups[j];
                pairs.Add((a, b, FisherExact.TwoSidedPValue(a.Successes, a.N, b.Successes, b.N)));
            }
        }

        var adjusted = Holm.Adjust(pairs.Select(pair => pair.P).ToArray());
        return pairs
            .Select((pair, k) => new PairwiseResult(
                pair.A.Name, pair.B.Name, pair.A.Rate, pair.B.Rate, pair.P, adjusted[k], adjusted[k] < alpha))
            .ToArray();
    }
}
