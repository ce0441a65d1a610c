using Robotics.Protocol.Messages;

namespace Robotics.Control.Services;

/// <summary>The newest observation, its envelope sequence number and when it arrived (our monotonic clock).</summary>
public sealed record ObservationSample(ObservationMessage Observation, ulong Sequence, long ReceivedNs, string PeerId);
