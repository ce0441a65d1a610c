namespace Robotics.Protocol.Messages;

/// <summary>The type-specific part of an envelope.</summary>
public interface IMessageBody
{
    MessageType Type { get; }
}
