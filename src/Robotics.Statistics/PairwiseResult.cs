namespace Robotics.Statistics;

/// <summary>
/// One pair of a multi-policy comparison: the two observed rates, Fisher's exact p-value, its Holm
/// adjustment across all pairs, and whether the pair counts as different at the chosen alpha.
/// </summary>
/// <param name="A">Name of the first policy.</param>
/// <param name="B">Name of the second policy.</param>
/// <param name="RateA">Observed success rate of A.</param>
/// <param name="RateB">Observed success rate of B.</param>
/// <param name="PValue">Unadjusted two-sided Fisher exact p-value.</param>
/// <param name="AdjustedPValue">Holm-adjusted p-value across all pairs of the comparison.</param>
/// <param name="Different">Whether <paramref name="AdjustedPValue"/> is below alpha.</param>
public sealed record PairwiseResult(
    string A, string B, double RateA, double RateB, double PValue, double AdjustedPValue, bool Different);
