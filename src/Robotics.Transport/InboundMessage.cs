using Robotics.Protocol;

namespace Robotics.Transport;

/// <summary>A decoded, accepted message, the peer it came from and our monotonic clock when it arrived.</summary>
public sealed record InboundMessage(string PeerId, Envelope Envelope, long ReceivedNs);
