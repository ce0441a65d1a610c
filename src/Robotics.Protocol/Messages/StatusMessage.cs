namespace Robotics.Protocol.Messages;

/// <summary>A peer's state (host: Idle/Running/Stopping/Stopped/Backtracking; robot: running/holding) and a free-text detail.</summary>
public sealed record StatusMessage(string State, string Detail = "", long Episode = 0, long Step = 0) : IMessageBody
{
    public MessageType Type => MessageType.Status;
}
