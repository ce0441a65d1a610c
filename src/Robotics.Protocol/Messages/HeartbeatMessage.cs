namespace Robotics.Protocol.Messages;

/// <summary>Liveness only; the envelope's sequence number and timestamp carry the information.</summary>
public sealed record HeartbeatMessage : IMessageBody
{
    public static readonly HeartbeatMessage Instance = new();

    public MessageType Type => MessageType.Heartbeat;
}
