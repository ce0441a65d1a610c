using Robotics.Protocol.Codec;
using Robotics.Transport.Security;

namespace Robotics.Transport;

/// <summary>The robot / operator side: a DEALER socket that reconnects on its own and says hello again when the host forgets it.</summary>
public sealed class ClientEndpointOptions
{
    public string Connect { get; set; } = "tcp://127.0.0.1:5555";

    public string Name { get; set; } = "client";

    /// <summary>The host's Z85 public key; with <see cref="ClientKeys"/> turns CurveZMQ on.</summary>
    public string? ServerPublicKey { get; set; }

    public CurveKeyPair? ClientKeys { get; set; }

    public int MaxMessageBytes { get; set; } = ProtocolCodec.DefaultMaxMessageBytes;

    public int SendHighWatermark { get; set; } = 16;

    public int ReceiveHighWatermark { get; set; } = 64;

    public int HeartbeatIntervalMs { get; set; } = 200;

    /// <summary>
    /// How long the socket waits for the host's ZMTP heartbeat reply before dropping the connection. Left at
    /// its default, libzmq's rule makes it equal to the interval, so one scheduler stall of that length cut a
    /// healthy connection and cost a reconnect (about a second) mid-episode.
    /// </summary>
    public int HeartbeatTimeoutMs { get; set; } = 3000;

    public int ReconnectIntervalMs { get; set; } = 100;
}
