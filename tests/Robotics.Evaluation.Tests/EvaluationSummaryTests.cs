using Robotics.Evaluation.Reports;
using Robotics.Evaluation.Rollouts;

namespace Robotics.Evaluation.Tests;

public sealed class EvaluationSummaryTests
{
    private static EpisodeResult[] Results(int successes, int n, Func<int, double>? ret = null, Func<double, double>? normalize = null) =>
        Enumerable.Range(0, n).Select(i =>
        {
            double r = ret?.Invoke(i) ?? (i < successes ? 1 : 0);
            return new EpisodeResult(i % 12, null, i, i < successes, r, 100, 13, 5.0, normalize?.Invoke(r), null, null);
        }).ToArray();

    [Fact]
    public void SuccessIntervalIsTheWilsonScoreInterval()
    {
        var half = EvaluationSummary.From(Results(25, 50));
        Assert.Equal(0.5, half.SuccessRate, 12);
        Assert.Equal(0.3664, half.SuccessLow, 3);
        Assert.Equal(0.6336, half.SuccessHigh, 3);
        // At 0 successes the interval is not degenerate (a normal interval would be [0, 0]).
        var none = EvaluationSummary.From(Results(0, 50));
        Assert.Equal(0, none.SuccessLow, 12);
        Assert.Equal(0.0714, none.SuccessHigh, 3);
    }

    [Fact]
    public void NormalisedScoreUsesTheReferenceMappingAndAStudentTInterval()
    {
        // maze2d-umaze-v1: 100 * (score - 23.85) / (161.86 - 23.85); scores 0, 100, 0, 100: sd = 100 / sqrt(3) * sqrt(4) / 2 ...
        var s = EvaluationSummary.From(Results(0, 4, i => new[] { 23.85, 161.86, 23.85, 161.86 }[i], v => 100 * (v - 23.85) / (161.86 - 23.85)));
        Assert.Equal(50, s.NormalizedScore!.Value, 9);
        // sample sd of (0, 100, 0, 100) = sqrt(10000 / 3); t(0.975, 3) = 3.182446305
        Assert.Equal(3.182446305 * Math.Sqrt(10000.0 / 3) / 2, s.NormalizedHalfWidth!.Value, 5);
        Assert.Null(EvaluationSummary.From(Results(1, 2)).NormalizedScore);
    }
}
