using Robotics.Statistics;

namespace Robotics.Evaluation.Reports;

/// <summary>
/// The policies of one environment and condition compared pairwise: Fisher's exact test with Holm's correction
/// across the pairs, the posterior probability that the first beats the second, and a compact letter display
/// (policies that share a letter are not significantly different at the family-wise level).
/// </summary>
public sealed record ComparisonGroup(string Environment, string Condition, IReadOnlyList<PairwiseResult> Pairs,
    IReadOnlyList<double> ProbabilityFirstBetter, IReadOnlyDictionary<string, string> Letters);
