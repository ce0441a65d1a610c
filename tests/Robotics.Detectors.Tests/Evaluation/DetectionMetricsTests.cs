using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Tests.Support;

namespace Robotics.Detectors.Tests.Evaluation;

public sealed class DetectionMetricsTests
{
    [Fact]
    public void Roc_auc_hand_computed_with_ties()
    {
        // failures 0.9, 0.5; successes 0.5, 0.1: pairs (0.9 beats both) 2 + (0.5 vs 0.5 tie) 0.5 + (0.5 beats 0.1) 1 = 3.5 of 4
        Assert.Equal(0.875, DetectionMetrics.RocAuc([0.9, 0.5, 0.5, 0.1], [true, true, false, false]), 12);
        Assert.Equal(1.0, DetectionMetrics.RocAuc([3, 2, 1], [true, false, false]), 12);
        Assert.Equal(0.0, DetectionMetrics.RocAuc([1, 2, 3], [true, false, false]), 12);
        Assert.Equal(0.5, DetectionMetrics.RocAuc([1, 1, 1, 1], [true, false, true, false]), 12);
    }

    [Fact]
    public void Pr_auc_is_average_precision_hand_computed()
    {
        // descending: 0.9 F, 0.8 S, 0.7 F, 0.1 S; AP = 1/2 * (1/1) + 1/2 * (2/3)
        Assert.Equal(0.5 + 1.0 / 3, DetectionMetrics.PrAuc([0.9, 0.8, 0.7, 0.1], [true, false, true, false]), 12);
        // all tied: precision at the single threshold = base rate
        Assert.Equal(0.25, DetectionMetrics.PrAuc([1, 1, 1, 1], [true, false, false, false]), 12);
        Assert.Equal(1.0, DetectionMetrics.PrAuc([5, 4, 1], [true, true, false]), 12);
    }

    [Theory]
    [InlineData(1, 40, 0.3, false)]
    [InlineData(2, 200, 0.5, false)]
    [InlineData(3, 97, 0.1, true)]     // scores rounded to create many ties
    [InlineData(4, 300, 0.7, true)]
    public void Roc_and_pr_auc_match_numpy_definitions(int seed, int n, double failShare, bool ties)
    {
        var random = new Random(seed);
        var failed = Enumerable.Range(0, n).Select(i => i < 2 || (i >= n - 2 ? false : random.NextDouble() < failShare)).ToArray();
        failed[^1] = false;
        var scores = failed.Select(f => (f ? 0.7 : 0.0) + random.NextDouble()).Select(s => ties ? Math.Round(s * 4) / 4 : s).ToArray();
        var values = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).Order().ToArray();
        double[] q = [0.025, 0.5, 0.975, 0, 1];
        var reference = PythonReference.Run("metrics_reference.py", new { scores, failed, values, q });
        Assert.Equal(reference.GetProperty("roc").GetDouble(), DetectionMetrics.RocAuc(scores, failed), 12);
        Assert.Equal(reference.GetProperty("ap").GetDouble(), DetectionMetrics.PrAuc(scores, failed), 12);
        var percentiles = PythonReference.Doubles(reference.GetProperty("percentiles"));
        for (var i = 0; i < q.Length; i++)
            Assert.Equal(percentiles[i], Bootstrap.Percentile(values, q[i]), 12);
    }

    [Fact]
    public void Ranking_metrics_need_both_classes()
    {
        Assert.Equal("failed", Assert.Throws<ArgumentException>(() => DetectionMetrics.RocAuc([1, 2], [true, true])).ParamName);
        Assert.Equal("failed", Assert.Throws<ArgumentException>(() => DetectionMetrics.PrAuc([1, 2], [false, false])).ParamName);
        Assert.Equal("failed", Assert.Throws<ArgumentException>(() => DetectionMetrics.RocAuc([1, 2], [true])).ParamName);
    }

    [Fact]
    public void Protocol_score_is_the_running_max_up_to_the_tasks_shortest_rollout()
    {
        FeatureRollout[] rollouts = [Rollout("a", 0, true, 3), Rollout("b", 0, false, 5), Rollout("c", 1, false, 2), Rollout("d", 1, true, 4)];
        double[][] curves = [[1, 3, 2], [0, 1, 2, 9, 9], [4, 1], [0, 0, 7, 8]];
        // task 0 shortest = 3 calls, task 1 shortest = 2 calls
        Assert.Equal([3.0, 2.0, 4.0, 0.0], DetectionMetrics.ProtocolScores(rollouts, curves));
        Assert.Equal("curves", Assert.Throws<ArgumentException>(() => DetectionMetrics.ProtocolScores(rollouts, [[1, 3], [0], [4, 1], [0]])).ParamName);
    }

    [Fact]
    public void Threshold_metrics_and_detection_time_hand_computed()
    {
        // band: constant 1.0
        var band = new FunctionalConformalBand(0.1, [1.0], [1e-8], 0);
        FeatureRollout[] rollouts =
        [
            Rollout("f-early", 0, false, 4, episode: 100),   // alarms at call 1 (step 10): time 0.1
            Rollout("f-late", 0, false, 4, episode: 100),    // alarms at call 3 (step 30): time 0.3
            Rollout("f-missed", 0, false, 4, episode: 100),  // never: counts 1.0
            Rollout("s-false", 0, true, 4, episode: 40),     // false alarm
            Rollout("s-ok", 0, true, 4, episode: 40),
        ];
        double[][] curves = [[0, 2, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0.5], [5, 0, 0, 0], [0, 0, 0, 0]];
        var times = DetectionMetrics.AlarmTimes(rollouts, curves, band);
        Assert.Equal([0.1, 0.3, null, 0.0, null], times);
        var m = DetectionMetrics.AtThreshold(rollouts.Select(r => r.Failed).ToArray(), times);
        Assert.Equal((2, 1, 1, 1), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(2.0 / 3, m.Tpr, 12);
        Assert.Equal(0.5, m.Tnr, 12);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal((2.0 / 3 + 0.5) / 2, m.BalancedAccuracy, 12);
        Assert.Equal(2.0 * 2 / (2 * 2 + 1 + 1), m.F1, 12);
        Assert.Equal((0.1 + 0.3 + 1.0) / 3, m.MeanDetectionTime, 12);

        var none = DetectionMetrics.AtThreshold([false, false], [null, 0.5]);
        Assert.True(double.IsNaN(none.Tpr));
        Assert.True(double.IsNaN(none.MeanDetectionTime));
        Assert.Equal(0.5, none.Tnr);
    }

    [Fact]
    public void Bootstrap_intervals_are_seeded_and_cover_the_estimate()
    {
        var random = new Random(11);
        var failed = Enumerable.Range(0, 120).Select(i => i % 3 == 0).ToArray();
        var scores = failed.Select(f => (f ? 0.6 : 0.0) + random.NextDouble()).ToArray();
        double Auc(int[] idx) => DetectionMetrics.RocAuc(idx.Select(i => scores[i]).ToArray(), idx.Select(i => failed[i]).ToArray());
        var a = Bootstrap.Stratified(failed, Auc, 500, 3);
        var b = Bootstrap.Stratified(failed, Auc, 500, 3);
        var c = Bootstrap.Stratified(failed, Auc, 500, 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var auc = DetectionMetrics.RocAuc(scores, failed);
        Assert.InRange(auc, a.Lower, a.Upper);
        Assert.True(a.Upper - a.Lower is > 0.02 and < 0.3, $"interval {a} has an implausible width");
    }

    [Fact]
    public void Report_collects_everything_for_one_method_and_split()
    {
        var random = new Random(5);
        var rollouts = Enumerable.Range(0, 60).Select(i => Rollout($"r{i}", i % 3, i % 2 == 0, 10, episode: 100)).ToArray();
        var curves = rollouts.Select(r => Enumerable.Range(0, 10).Select(t => (r.Failed ? 0.2 * t : 0) + random.NextDouble()).ToArray()).ToArray();
        var successes = curves.Where((_, i) => rollouts[i].Success).ToArray();
        var band = FunctionalConformalBand.Calibrate(successes, 0.2, 1);
        var report = DetectorReport.Evaluate("test", "val_unseen", rollouts, curves, band, resamples: 200, seed: 9);
        Assert.Equal(60, report.Rollouts);
        Assert.Equal(30, report.Failures);
        Assert.Equal(0.2, report.Alpha);
        Assert.InRange(report.RocAuc, report.RocAucInterval.Lower, report.RocAucInterval.Upper);
        Assert.True(report.RocAuc > 0.9);
        Assert.InRange(report.AtThreshold.BalancedAccuracy, report.BalancedAccuracyInterval.Lower, report.BalancedAccuracyInterval.Upper);
        Assert.Equal(report, DetectorReport.Evaluate("test", "val_unseen", rollouts, curves, band, resamples: 200, seed: 9) with { });
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(report),
            System.Text.Json.JsonSerializer.Serialize(DetectorReport.Evaluate("test", "val_unseen", rollouts, curves, band, 200, 9)));
    }

    internal static FeatureRollout Rollout(string id, int task, bool success, int calls, int episode = 50) =>
        new(id, task, success, episode, Enumerable.Range(0, calls).Select(t => 10 * t).ToArray(),
            Enumerable.Range(0, calls).Select(_ => new float[] { 0 }).ToArray());
}
