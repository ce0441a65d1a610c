namespace Robotics.Detectors.Torch.Checkpoints;

/// <summary>A scorer read back from a checkpoint folder, with its manifest (feature layout, calibration). Dispose the scorer.</summary>
public sealed record LoadedDetector(TorchFailureScorer Scorer, DetectorManifest Manifest);
