namespace Robotics.Policies.Checkpoints;

/// <summary>
/// provenance.json of a checkpoint whose weights started from another checkpoint (`robotics train --init`): where the
/// pretrained weights came from (folder, SHA-256 of its model.safetensors, its training steps and type), which of the
/// new network's parameters were loaded, re-initialised (shape changed or new) or frozen, which pretrained tensors
/// went unused, where the normalisation statistics came from, and the pretrained checkpoint's own provenance.
/// </summary>
public sealed record Provenance(
    string Checkpoint,
    string WeightsSha256,
    long? PretrainedSteps,
    string PolicyType,
    string Stats,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Reinitialized,
    IReadOnlyList<string> Unused,
    IReadOnlyList<string> Frozen,
    DateTimeOffset Created,
    Provenance? Parent = null);
