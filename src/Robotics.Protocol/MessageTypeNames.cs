namespace Robotics.Protocol;

/// <summary>The snake_case strings that name message types on the wire.</summary>
public static class MessageTypeNames
{
    private static readonly Dictionary<string, MessageType> ByName = new(StringComparer.Ordinal)
    {
        ["hello"] = MessageType.Hello,
        ["observation"] = MessageType.Observation,
        ["action_chunk"] = MessageType.ActionChunk,
        ["command"] = MessageType.Command,
        ["status"] = MessageType.Status,
        ["heartbeat"] = MessageType.Heartbeat,
        ["error"] = MessageType.Error,
    };

    public static string ToWire(this MessageType type) => type switch
    {
        MessageType.Hello => "hello",
        MessageType.Observation => "observation",
        MessageType.ActionChunk => "action_chunk",
        MessageType.Command => "command",
        MessageType.Status => "status",
        MessageType.Heartbeat => "heartbeat",
        MessageType.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown message type"),
    };

    public static bool TryParse(string name, out MessageType type) => ByName.TryGetValue(name, out type);
}
