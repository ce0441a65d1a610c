namespace Robotics.Protocol.Messages;

/// <summary>
/// A command. <see cref="TaskIndex"/>/<see cref="Instruction"/> go with set_task and reset, <see cref="Steps"/>
/// with backtrack (how many executed steps to retrace; null = the host's configured default), <see cref="Seed"/> with reset.
/// </summary>
public sealed record CommandMessage(
    CommandKind Command,
    int? TaskIndex = null,
    string? Instruction = null,
    int? Steps = null,
    long? Seed = null) : IMessageBody
{
    public MessageType Type => MessageType.Command;
}
