namespace Robotics.Protocol.Messages;

/// <summary>
/// First message of every session. Who the peer is comes from the connection (CurveZMQ + the host's ZAP allowlists,
/// PROTOCOL.md §6), not from anything in this body; the host checks that <see cref="Role"/> matches the key's role.
/// </summary>
public sealed record HelloMessage(
    PeerRole Role,
    string Name,
    int ActionDim = 0,
    int StateDim = 0,
    ActionMode ActionMode = ActionMode.Delta,
    IReadOnlyList<string>? Cameras = null) : IMessageBody
{
    public MessageType Type => MessageType.Hello;
}
