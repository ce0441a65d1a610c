using Robotics.Protocol.Messages;

namespace Robotics.Protocol;

/// <summary>
/// One protocol message: version, type (implied by <see cref="Body"/>), the sender's strictly increasing
/// sequence number, the sender's name and the sender's monotonic clock in nanoseconds at send time.
/// </summary>
public sealed record Envelope(ulong Sequence, string Sender, long MonotonicNs, IMessageBody Body, int Version = ProtocolVersion.Current)
{
    public MessageType Type => Body.Type;
}
