using System.Text.Json.Nodes;

namespace Robotics.Detectors.Torch.Checkpoints;

/// <summary>
/// What the caller adds to a detector checkpoint: the feature layout the detector was trained on (e.g.
/// "mode:width=64;tokens=...;sampling=10", so a detector is never run on another policy's features of equal width) and
/// an optional calibration object (the conformal band), kept opaque here because calibration lives in another project.
/// </summary>
public sealed record DetectorCheckpointExtras(string FeatureLayout, JsonObject? Calibration = null);
