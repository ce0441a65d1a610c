using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;

namespace Robotics.Detectors.Evaluation;

/// <summary>
/// SAFE's evaluation metrics. Failures are the positive class throughout (a detector should score them higher).
/// </summary>
public static class DetectionMetrics
{
    /// <summary>
    /// ROC-AUC as the Mann-Whitney statistic: the probability that a random failure outscores a random success, ties
    /// counting one half (average ranks), which is exactly the area under the ROC curve with tied scores joined by a
    /// straight segment.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> failed)
    {
        var (positives, negatives) = Check(scores, failed);
        var ranks = AverageRanks(scores);
        var rankSum = 0.0;
        for (var i = 0; i < scores.Count; i++)
            if (failed[i])
                rankSum += ranks[i];
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// PR-AUC as average precision (sklearn's definition): the sum over distinct thresholds, from the highest score
    /// down, of (recall gained) x (precision at that threshold); tied scores enter together. No interpolation, which
    /// would be optimistic.
    /// </summary>
    public static double PrAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> failed)
    {
        var (positives, _) = Check(scores, failed);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double ap = 0, tp = 0, seen = 0;
        for (var k = 0; k < order.Length;)
        {
            var gained = 0;
            var score = scores[order[k]];
            for (; k < order.Length && scores[order[k]] == score; k++)
            {
                seen++;
                if (failed[order[k]])
                    gained++;
            }

            tp += gained;
            ap += gained / (double)positives * (tp / seen);
        }

        return ap;
    }

    /// <summary>
    /// The protocol's score of each rollout: the maximum of its score curve over the first L calls, where L is the
    /// number of calls of the SHORTEST rollout of the same task within <paramref name="rollouts"/>. Cutting at the
    /// shortest length stops a detector from scoring "long episode" (successes often end early, failures run to the
    /// time limit) instead of failure. Curves must hold one value per call.
    /// </summary>
    public static double[] ProtocolScores(IReadOnlyList<FeatureRollout> rollouts, IReadOnlyList<double[]> curves)
    {
        CheckCurves(rollouts, curves);
        var shortest = rollouts.GroupBy(r => r.Task).ToDictionary(g => g.Key, g => g.Min(r => r.Calls));
        return rollouts.Select((r, i) => ScoreCurves.MaxUpTo(curves[i], shortest[r.Task])).ToArray();
    }

    /// <summary>
    /// Where each rollout first alarms against <paramref name="band"/>, as a fraction of its episode:
    /// Steps[t] / EpisodeLength at the first call t with s_t &gt;= delta_t (over the whole curve: an online detector
    /// sees every call), or null when it never alarms.
    /// </summary>
    public static double?[] AlarmTimes(
        IReadOnlyList<FeatureRollout> rollouts, IReadOnlyList<double[]> curves, FunctionalConformalBand band)
    {
        CheckCurves(rollouts, curves);
        ArgumentNullException.ThrowIfNull(band);
        var times = new double?[rollouts.Count];
        for (var i = 0; i < rollouts.Count; i++)
        {
            var r = rollouts[i];
            if (band.FirstAlarm(curves[i]) is not { } t)
                continue;
            if (r.Steps.Length != r.Calls)
                throw new ArgumentException($"rollout {r.Id} has {r.Steps.Length} steps for {r.Calls} calls", nameof(rollouts));
            if (r.EpisodeLength <= 0)
                throw new ArgumentException($"rollout {r.Id} has episode length {r.EpisodeLength}", nameof(rollouts));
            times[i] = Math.Clamp(r.Steps[t] / (double)r.EpisodeLength, 0, 1);
        }

        return times;
    }

    /// <summary>The at-threshold metrics from each rollout's outcome and alarm time (null = no alarm).</summary>
    public static ThresholdMetrics AtThreshold(IReadOnlyList<bool> failed, IReadOnlyList<double?> alarmTimes)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(alarmTimes);
        if (failed.Count != alarmTimes.Count)
            throw new ArgumentException($"{alarmTimes.Count} alarm times for {failed.Count} rollouts", nameof(alarmTimes));
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var detection = 0.0;
        for (var i = 0; i < failed.Count; i++)
        {
            var alarmed = alarmTimes[i] is not null;
            if (failed[i])
            {
                if (alarmed) tp++;
                else fn++;
                detection += alarmTimes[i] ?? 1.0;
            }
            else if (alarmed)
                fp++;
            else
                tn++;
        }

        var tpr = Ratio(tp, tp + fn);
        var tnr = Ratio(tn, tn + fp);
        var f1 = tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
        return new ThresholdMetrics(
            tp, fp, tn, fn, tpr, tnr,
            Ratio(tp + tn, failed.Count),
            (tpr + tnr) / 2,
            f1,
            Ratio(detection, tp + fn));
    }

    private static double Ratio(double numerator, int denominator) => denominator == 0 ? double.NaN : numerator / denominator;

    private static (int Positives, int Negatives) Check(IReadOnlyList<double> scores, IReadOnlyList<bool> failed)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(failed);
        if (scores.Count != failed.Count)
            throw new ArgumentException($"{scores.Count} scores for {failed.Count} labels", nameof(failed));
        if (scores.Any(double.IsNaN))
            throw new ArgumentException("a score is NaN", nameof(scores));
        var positives = failed.Count(f => f);
        var negatives = failed.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException(
                $"ranking metrics need both failures and successes; got {positives} failures and {negatives} successes",
                nameof(failed));
        return (positives, negatives);
    }

    private static void CheckCurves(IReadOnlyList<FeatureRollout> rollouts, IReadOnlyList<double[]> curves)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        ArgumentNullException.ThrowIfNull(curves);
        if (rollouts.Count != curves.Count)
            throw new ArgumentException($"{curves.Count} curves for {rollouts.Count} rollouts", nameof(curves));
        for (var i = 0; i < rollouts.Count; i++)
            if (curves[i].Length != rollouts[i].Calls || curves[i].Length == 0)
                throw new ArgumentException(
                    $"rollout {rollouts[i].Id} has {rollouts[i].Calls} calls but its curve has {curves[i].Length} values",
                    nameof(curves));
    }

    private static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var k = 0; k < order.Length;)
        {
            var end = k;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[k]])
                end++;
            var rank = (k + end) / 2.0 + 1;   // 1-based average rank of the tie group
            for (var j = k; j <= end; j++)
                ranks[order[j]] = rank;
            k = end + 1;
        }

        return ranks;
    }
}
