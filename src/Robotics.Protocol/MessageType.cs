namespace Robotics.Protocol;

/// <summary>What an envelope carries. Wire names are in <see cref="MessageTypeNames"/>.</summary>
public enum MessageType
{
    Hello,
    Observation,
    ActionChunk,
    Command,
    Status,
    Heartbeat,
    Error,
}
