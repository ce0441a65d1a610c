using Robotics.Core.Arrays;

namespace Robotics.Core.Policies;

/// <summary>
/// One time step of what the robot sees, keyed by <see cref="Shapes.FeatureKeys"/> (e.g.
/// "observation.state" float32[D], "observation.images.front" uint8[H, W, C]), plus the task: an index
/// into the policy's task list and/or the instruction text.
/// </summary>
public sealed record PolicyObservation(IReadOnlyDictionary<string, NdArray> Features, int? TaskIndex = null, string? Instruction = null);
