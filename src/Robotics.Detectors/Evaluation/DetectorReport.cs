using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;

namespace Robotics.Detectors.Evaluation;

/// <summary>
/// Everything SAFE reports for one method on one split (e.g. val_unseen), with stratified percentile bootstrap
/// intervals so that two methods' numbers can be compared with their noise in view. Ranking metrics use the protocol
/// scores (running max up to each task's shortest rollout, computed once on the whole split and kept fixed across
/// resamples); every interval uses the same seeded resamples; at-threshold metrics use alarms against the conformal band over whole curves.
/// </summary>
public sealed record DetectorReport(
    string Method,
    string Split,
    int Rollouts,
    int Failures,
    double Alpha,
    double RocAuc,
    ConfidenceInterval RocAucInterval,
    double PrAuc,
    ConfidenceInterval PrAucInterval,
    ThresholdMetrics AtThreshold,
    ConfidenceInterval TprInterval,
    ConfidenceInterval TnrInterval,
    ConfidenceInterval BalancedAccuracyInterval,
    ConfidenceInterval F1Interval,
    ConfidenceInterval MeanDetectionTimeInterval,
    int Resamples,
    long Seed)
{
    /// <summary>Scores one method's curves on one split; <paramref name="curves"/>[i] belongs to rollouts[i].</summary>
    public static DetectorReport Evaluate(
        string method,
        string split,
        IReadOnlyList<FeatureRollout> rollouts,
        IReadOnlyList<double[]> curves,
        FunctionalConformalBand band,
        int resamples = 1000,
        long seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        ArgumentNullException.ThrowIfNull(rollouts);
        var failed = rollouts.Select(r => r.Failed).ToArray();
        var scores = DetectionMetrics.ProtocolScores(rollouts, curves);
        var times = DetectionMetrics.AlarmTimes(rollouts, curves, band);

        ConfidenceInterval Interval(Func<int[], double> statistic) =>
            Bootstrap.Stratified(failed, statistic, resamples, seed);

        double[] Pick(double[] values, int[] idx) => idx.Select(i => values[i]).ToArray();
        bool[] Labels(int[] idx) => idx.Select(i => failed[i]).ToArray();
        ThresholdMetrics Threshold(int[] idx) =>
            DetectionMetrics.AtThreshold(Labels(idx), idx.Select(i => times[i]).ToArray());

        return new DetectorReport(
            method,
            split,
            rollouts.Count,
            failed.Count(f => f),
            band.Alpha,
            DetectionMetrics.RocAuc(scores, failed),
            Interval(idx => DetectionMetrics.RocAuc(Pick(scores, idx), Labels(idx))),
            DetectionMetrics.PrAuc(scores, failed),
            Interval(idx => DetectionMetrics.PrAuc(Pick(scores, idx), Labels(idx))),
            DetectionMetrics.AtThreshold(failed, times),
            Interval(idx => Threshold(idx).Tpr),
            Interval(idx => Threshold(idx).Tnr),
            Interval(idx => Threshold(idx).BalancedAccuracy),
            Interval(idx => Threshold(idx).F1),
            Interval(idx => Threshold(idx).MeanDetectionTime),
            resamples,
            seed);
    }
}
