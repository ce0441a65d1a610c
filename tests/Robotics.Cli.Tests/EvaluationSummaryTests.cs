using Robotics.Cli.Commands.Eval;

namespace Robotics.Cli.Tests;

public sealed class EvaluationSummaryTests
{
    private static EpisodeOutcome[] Outcomes(int successes, int n, Func<int, double>? ret = null) =>
        Enumerable.Range(0, n).Select(i => new EpisodeOutcome(i, i % 12, i < successes, ret?.Invoke(i) ?? (i < successes ? 1 : 0), 100, 13, 5.0)).ToArray();

    [Fact]
    public void Success_interval_is_the_wilson_score_interval()
    {
        var half = EvaluationSummary.From(Outcomes(25, 50), null);
        Assert.Equal(0.5, half.SuccessRate, 12);
        Assert.Equal(0.3664, half.SuccessLow, 3);
        Assert.Equal(0.6336, half.SuccessHigh, 3);
        // At 0 successes the interval is not degenerate (a normal interval would be [0, 0]).
        var none = EvaluationSummary.From(Outcomes(0, 50), null);
        Assert.Equal(0, none.SuccessLow, 12);
        Assert.Equal(0.0714, none.SuccessHigh, 3);
    }

    [Fact]
    public void Normalised_score_uses_the_reference_mapping_and_a_mean_interval()
    {
        // maze2d-umaze-v1: 100 * (score - 23.85) / (161.86 - 23.85)
        var s = EvaluationSummary.From(Outcomes(0, 4, i => new[] { 23.85, 161.86, 23.85, 161.86 }[i]), v => 100 * (v - 23.85) / (161.86 - 23.85));
        Assert.Equal(50, s.NormalizedScore!.Value, 9);
        Assert.Equal(1.959963984540054 * Math.Sqrt(100.0 * 100 / 3) / 2, s.NormalizedHalfWidth!.Value, 9);
        Assert.Null(EvaluationSummary.From(Outcomes(1, 2), null).NormalizedScore);
    }
}
