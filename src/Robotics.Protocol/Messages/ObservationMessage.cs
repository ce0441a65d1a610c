using Robotics.Core.Arrays;

namespace Robotics.Protocol.Messages;

/// <summary>
/// What the robot sees after executing <see cref="Step"/> actions of <see cref="Episode"/>: state float32[D],
/// camera images uint8[H, W, C] by camera name, the task, and (simulated robots) the episode outcome so far.
/// </summary>
public sealed record ObservationMessage(
    long Episode,
    long Step,
    NdArray State,
    IReadOnlyDictionary<string, NdArray> Images,
    int? TaskIndex = null,
    string? Instruction = null,
    bool Success = false,
    bool Done = false) : IMessageBody
{
    public MessageType Type => MessageType.Observation;
}
