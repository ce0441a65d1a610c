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

    public int ReconnectIntervalMs { get; set; } = 100;
}
