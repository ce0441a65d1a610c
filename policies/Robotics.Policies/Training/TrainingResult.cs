namespace Robotics.Policies.Training;

/// <summary>What a training run reports: steps done, the last and validation losses, throughput and the final checkpoint.</summary>
public sealed record TrainingResult(long Steps, double FinalLoss, double? ValidationLoss, double SamplesPerSecond, string? FinalCheckpoint, IReadOnlyList<double> LossHistory)
{
    /// <summary>Forward / backward passes recomputed after a TorchSharp Scalar race (see PolicyTrainer.RecoveredScalarFaults).</summary>
    public int RecoveredScalarFaults { get; init; }
}
