namespace Robotics.Protocol.Messages;

/// <summary>
/// First message of every connection. <see cref="ClientKey"/> and <see cref="Proof"/> authenticate the
/// peer against the host's allowlist (see PROTOCOL.md, "Authentication"); both are null when the host runs without keys.
/// </summary>
public sealed record HelloMessage(
    PeerRole Role,
    string Name,
    int ActionDim = 0,
    int StateDim = 0,
    ActionMode ActionMode = ActionMode.Delta,
    IReadOnlyList<string>? Cameras = null,
    string? ClientKey = null,
    byte[]? Proof = null) : IMessageBody
{
    public MessageType Type => MessageType.Hello;
}
