using Robotics.Statistics;

namespace Robotics.Evaluation.Reports;

/// <summary>
/// One group of episodes (a cell, or a policy pooled over tasks): the success rate with its Wilson and exact
/// Clopper-Pearson 95% intervals and the Beta(1 + s, 1 + f) posterior's 95% credible interval; mean return and D4RL
/// normalised score with Student-t intervals; policy latency and episode length.
/// </summary>
public sealed record CellSummary(
    string Policy,
    string Environment,
    int? Task,
    string Condition,
    int Episodes,
    int Successes,
    double Rate,
    Interval Wilson,
    Interval ClopperPearson,
    Interval Credible,
    double MeanReturn,
    Interval ReturnInterval,
    double? NormalizedScore,
    Interval? NormalizedInterval,
    double MeanInferenceMs,
    double MeanSteps)
{
    public BetaPosterior Posterior => BetaPosterior.FromCounts(Successes, Episodes);
}
