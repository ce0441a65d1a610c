using Robotics.Core.Progress;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Torch.Safe;

namespace Robotics.Detectors.Torch.Pipeline;

/// <summary>
/// SAFE's protocol end to end: split tasks into seen / unseen, grid-search SAFE-MLP and SAFE-LSTM on train and pick
/// the configuration with the best val_seen ROC-AUC, then calibrate the functional conformal band on the successful
/// val_seen rollouts only.
/// </summary>
public static class DetectorTraining
{
    public sealed record Result(SafeDetector Detector, DetectorCalibration Calibration, TaskSplit Split, SafeGridSearchResult Grid);

    public static Result Train(IReadOnlyList<FeatureRollout> rollouts, DetectorTrainingOptions options, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var split = TaskSplit.Create(rollouts, options.SplitSeed, options.UnseenShare);
        if (split.Train.All(r => r.Success) || split.Train.All(r => r.Failed))
            throw new InvalidDataException($"the training split ({split.Train.Length} rollouts) has only one class; collect with --failures or from a weaker policy");
        var grid = SafeGridSearch.Run(split.Train, split.ValSeen, options.Kinds, options.LearningRates, options.Lambdas, options.Seeds,
            pairs => DetectionMetrics.RocAuc(pairs.Select(p => p.score).ToArray(), pairs.Select(p => p.failed).ToArray()),
            new SafeDetectorOptions(options.Kinds[0], options.Hidden, Epochs: options.Epochs), progress: progress, cancellationToken: cancellationToken);
        return new Result(grid.Best, Calibrate(grid.Best, split, options.Alpha, options.SplitSeed, options.UnseenShare), split, grid);
    }

    /// <summary>The band from the successful val_seen rollouts' score curves (the scorer is not refitted).</summary>
    public static DetectorCalibration Calibrate(IFailureScorer scorer, TaskSplit split, double alpha, long splitSeed,
        double unseenShare = TaskSplit.DefaultUnseenShare) =>
        CalibrateOn(scorer, split.ValSeen, alpha, splitSeed, split.UnseenTasks, unseenShare, "val_seen");

    /// <summary>
    /// The band from the successful rollouts among <paramref name="rollouts"/> (e.g. fresh rollouts on the deployment
    /// scene); the split the detector was trained on (<paramref name="splitSeed"/>, <paramref name="unseenTasks"/>) is kept.
    /// </summary>
    public static DetectorCalibration CalibrateOn(IFailureScorer scorer, IEnumerable<FeatureRollout> rollouts, double alpha, long splitSeed,
        int[] unseenTasks, double unseenShare, string what = "calibration")
    {
        var successes = rollouts.Where(r => r.Success && r.Calls > 0).ToArray();
        if (successes.Length < 4)
            throw new InvalidDataException($"only {successes.Length} successful {what} rollouts to calibrate on; collect more episodes");
        var band = FunctionalConformalBand.Calibrate(successes.Select(scorer.Scores).ToArray(), alpha, splitSeed);
        return new DetectorCalibration(band, splitSeed, unseenTasks, successes.Length, unseenShare);
    }
}
