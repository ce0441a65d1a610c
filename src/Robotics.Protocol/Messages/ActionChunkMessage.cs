using Robotics.Core.Arrays;

namespace Robotics.Protocol.Messages;

/// <summary>
/// Actions float32[H, A] for steps <see cref="FirstStep"/> .. FirstStep + H - 1, one every
/// <see cref="StepPeriodSeconds"/>. The robot executes the row for its current step; rows before it are stale.
/// <see cref="ObservationSequence"/> is the sequence number of the observation the chunk answers (-1: none).
/// </summary>
public sealed record ActionChunkMessage(
    long ChunkId,
    long Episode,
    long FirstStep,
    double StepPeriodSeconds,
    NdArray Actions,
    long ObservationSequence = -1,
    bool Backtrack = false) : IMessageBody
{
    public MessageType Type => MessageType.ActionChunk;
}
