namespace Robotics.Detectors.Torch.Safe;

/// <summary>One trained configuration of a grid search: its options, ROC-AUC on val_seen, last epoch's training loss and time taken.</summary>
public sealed record SafeGridSearchEntry(SafeDetectorOptions Options, double ValRocAuc, double FinalTrainLoss, TimeSpan Elapsed);
