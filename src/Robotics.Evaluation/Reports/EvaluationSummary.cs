using Robotics.Evaluation.Rollouts;
using Robotics.Statistics;

namespace Robotics.Evaluation.Reports;

/// <summary>
/// The headline of a one-policy evaluation with 95% intervals: success rate with the Wilson score interval (sound
/// near 0 and 1), mean return and D4RL normalised score (where the environment has reference scores) with Student-t
/// intervals.
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
    public static EvaluationSummary From(IReadOnlyList<EpisodeResult> episodes)
    {
        int n = episodes.Count;
        if (n == 0)
            throw new ArgumentException("No episodes to summarise.");
        int successes = episodes.Count(o => o.Success);
        var wilson = Proportion.Wilson(successes, n);
        var (mean, interval) = MeanEstimate.StudentT(episodes.Select(o => o.Return).ToArray());
        double? ns = null, nsHw = null;
        if (episodes.All(e => e.NormalizedScore is not null))
        {
            var (m, i) = MeanEstimate.StudentT(episodes.Select(e => e.NormalizedScore!.Value).ToArray());
            (ns, nsHw) = (m, i.Width / 2);
        }

        return new EvaluationSummary(n, successes / (double)n, wilson.Low, wilson.High, mean, interval.Width / 2, ns, nsHw, episodes.Average(o => o.MeanInferenceMs));
    }
}
