using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Torch.Safe;

namespace Robotics.Detectors.Torch.Pipeline;

/// <summary>
/// How a SAFE detector is trained and calibrated: the split seed (30% of tasks unseen, 60/40 train/val_seen of the
/// rest), the grid (SAFE's: lr {1e-4, 3e-4, 1e-3} x lambda {1e-3 .. 1} x 3 seeds; "small" for quick runs), epochs and
/// the conformal alpha (the false-alarm rate allowed on successful rollouts). An unseen share of 0 keeps every task
/// seen: for a detector to deploy on the tasks it was trained on rather than to measure generalisation.
/// </summary>
public sealed record DetectorTrainingOptions(
    IReadOnlyList<string> Kinds,
    IReadOnlyList<double> LearningRates,
    IReadOnlyList<double> Lambdas,
    IReadOnlyList<long> Seeds,
    int Epochs = 100,
    int Hidden = 256,
    double Alpha = 0.05,
    long SplitSeed = 0,
    double UnseenShare = TaskSplit.DefaultUnseenShare)
{
    public static DetectorTrainingOptions Paper(double alpha = 0.05, long splitSeed = 0, int epochs = 100, double unseenShare = TaskSplit.DefaultUnseenShare) =>
        new(SafeDetectorKinds.All, SafeGridSearch.PaperLearningRates, SafeGridSearch.PaperLambdas, SafeGridSearch.PaperSeeds, epochs, Alpha: alpha, SplitSeed: splitSeed, UnseenShare: unseenShare);

    public static DetectorTrainingOptions Small(double alpha = 0.05, long splitSeed = 0, int epochs = 60, double unseenShare = TaskSplit.DefaultUnseenShare) =>
        new(SafeDetectorKinds.All, [1e-3], [1e-2], [0], epochs, Alpha: alpha, SplitSeed: splitSeed, UnseenShare: unseenShare);
}
