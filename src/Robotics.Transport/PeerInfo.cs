using Robotics.Protocol.Messages;

namespace Robotics.Transport;

/// <summary>A peer that completed its hello; <see cref="ClientKey"/> is its authenticated Curve public key, if keys are in use.</summary>
public sealed record PeerInfo(string PeerId, HelloMessage Hello, string? ClientKey, long JoinedNs)
{
    public PeerRole Role => Hello.Role;
}
