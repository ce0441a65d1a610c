using Robotics.Core.Progress;
using Robotics.Detectors.Baselines;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Statistics;

namespace Robotics.Detectors.Torch.Pipeline;

/// <summary>
/// Scores a trained SAFE detector and the baselines on the split the detector was trained on: every method is fitted
/// on train, calibrated by the same conformal procedure on successful val_seen rollouts at the same alpha, and
/// reported on val_seen and val_unseen (ROC-AUC and PR-AUC of the protocol score, at-threshold metrics, detection
/// time, bootstrap intervals), plus the empirical false-alarm rate on held-out successful rollouts (val_unseen).
/// </summary>
public static class DetectorEvaluation
{
    /// <summary>One method's reports; <paramref name="HeadlineCurves"/> are its score curves on the outcome's headline split (for plots).</summary>
    public sealed record MethodResult(string Method, FunctionalConformalBand Band, IReadOnlyList<DetectorReport> Reports,
        int HeldOutSuccesses, int FalseAlarms, Interval FalseAlarmInterval, IReadOnlyList<double[]> HeadlineCurves);

    /// <summary>
    /// The methods' results. The headline split is val_unseen (SAFE's), or val_seen for a detector trained with every
    /// task seen; the plots are drawn on it.
    /// </summary>
    public sealed record Outcome(TaskSplit Split, IReadOnlyList<MethodResult> Methods)
    {
        public string HeadlineSplit => Split.ValUnseen.Length > 0 ? "val_unseen" : "val_seen";

        /// <summary>The headline split's rollouts with at least one policy call, in the order of the curves.</summary>
        public FeatureRollout[] HeadlineRollouts => (Split.ValUnseen.Length > 0 ? Split.ValUnseen : Split.ValSeen).Where(r => r.Calls > 0).ToArray();
    }

    public static Outcome Run(IFailureScorer detector, DetectorCalibration calibration, IReadOnlyList<FeatureRollout> rollouts,
        IReadOnlyList<IFailureScorer> baselines, int resamples = 1000, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var split = TaskSplit.Create(rollouts, calibration.SplitSeed, calibration.UnseenShare);
        if (!split.UnseenTasks.SequenceEqual(calibration.UnseenTasks))
            throw new InvalidDataException($"the corpus splits into unseen tasks [{string.Join(", ", split.UnseenTasks)}], the detector was trained with [{string.Join(", ", calibration.UnseenTasks)}]: evaluate on the corpus it was trained on");
        var methods = new List<MethodResult>();
        int done = 0;
        foreach (var scorer in baselines.Prepend(detector))
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new ProgressUpdate("methods", done++, baselines.Count + 1, scorer.Name));
            FunctionalConformalBand band;
            if (ReferenceEquals(scorer, detector))
            {
                band = calibration.Band;
            }
            else
            {
                scorer.Fit(split.Train);
                band = DetectorTraining.Calibrate(scorer, split, calibration.Band.Alpha, calibration.SplitSeed, calibration.UnseenShare).Band;
            }

            var reports = new List<DetectorReport>();
            IReadOnlyList<double[]> headlineCurves = [];
            string headline = split.ValUnseen.Length > 0 ? "val_unseen" : "val_seen";
            foreach (var (name, set) in new[] { ("val_seen", split.ValSeen), ("val_unseen", split.ValUnseen) })
            {
                var usable = set.Where(r => r.Calls > 0).ToArray();
                var curves = usable.Select(scorer.Scores).ToArray();
                if (name == headline)
                    headlineCurves = curves;
                if (usable.Any(r => r.Failed) && usable.Any(r => r.Success))
                    reports.Add(DetectorReport.Evaluate(scorer.Name, name, usable, curves, band, resamples, calibration.SplitSeed));
            }

            var heldOut = split.ValUnseen.Where(r => r.Success && r.Calls > 0).ToArray();
            int alarms = heldOut.Count(r => band.FirstAlarm(scorer.Scores(r)) is not null);
            methods.Add(new MethodResult(scorer.Name, band, reports, heldOut.Length, alarms, Proportion.ClopperPearson(alarms, heldOut.Length), headlineCurves));
        }

        progress?.Report(new ProgressUpdate("methods", done, baselines.Count + 1));
        return new Outcome(split, methods);
    }
}
