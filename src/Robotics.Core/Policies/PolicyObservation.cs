using Robotics.Core.Arrays;

namespace Robotics.Core.Policies;

/// <summary>
/// One time step of what the robot sees, keyed by <see cref="Shapes.FeatureKeys"/> (e.g.
/// "observation.state" float32[D], "observation.images.front" uint8[H, W, C]), plus the task: an index
/// into the policy's task list and/or the instruction text. <see cref="Step"/>, when known, is the
/// episode step the observation belongs to: a policy that is handed the same step twice (a replan after a
/// resume) replaces that frame instead of adding it again.
/// </summary>
public sealed record PolicyObservation(IReadOnlyDictionary<string, NdArray> Features, int? TaskIndex = null, string? Instruction = null, long? Step = null);
