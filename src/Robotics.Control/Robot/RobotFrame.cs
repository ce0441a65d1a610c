using Robotics.Core.Arrays;

namespace Robotics.Control.Robot;

/// <summary>What a robot reports after a reset or a step: state, camera images, its task, and (simulated robots) the outcome so far.</summary>
public sealed record RobotFrame(float[] State, IReadOnlyDictionary<string, NdArray> Images, int? TaskIndex, string? Instruction, bool Success, bool Done);
