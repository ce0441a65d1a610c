namespace Robotics.Protocol.Messages;

/// <summary>A refusal: wire code (see <see cref="ProtocolErrorCodeNames"/>), a message naming the field, and the refused sequence number if known.</summary>
public sealed record ErrorMessage(string Code, string Message, ulong? ReferenceSequence = null) : IMessageBody
{
    public MessageType Type => MessageType.Error;
}
