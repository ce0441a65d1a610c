using System.Text.Json.Nodes;

namespace Robotics.Detectors.Torch.Checkpoints;

/// <summary>detector.json: everything needed to rebuild the scorer besides its tensors, plus the caller's extras.</summary>
public sealed record DetectorManifest(
    int Format,
    string Kind,
    JsonNode Options,
    int FeatureDimension,
    string FeatureLayout,
    long ParameterCount,
    JsonObject? Calibration = null);
