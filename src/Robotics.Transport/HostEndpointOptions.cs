using Robotics.Protocol.Codec;

namespace Robotics.Transport;

/// <summary>The host's ROUTER socket. Bound to loopback unless <see cref="AllowNonLoopback"/>; CurveZMQ when a server key is given.</summary>
public sealed class HostEndpointOptions
{
    public const string SectionName = "Transport";

    /// <summary>tcp://ADDRESS:PORT; port 0 or * picks a free port (see <see cref="HostEndpoint.BoundEndpoint"/>).</summary>
    public string Bind { get; set; } = "tcp://127.0.0.1:5555";

    public bool AllowNonLoopback { get; set; }

    public string Name { get; set; } = "host";

    /// <summary>Z85 server secret key; or <see cref="ServerKeyFile"/>. Either turns CurveZMQ on.</summary>
    public string? ServerSecretKey { get; set; }

    /// <summary>A NAME.key_secret file from <c>robotics keys generate</c>.</summary>
    public string? ServerKeyFile { get; set; }

    /// <summary>Z85 public keys of clients allowed to connect; with CurveZMQ on, the list (plus <see cref="AllowlistDirectory"/>) must not be empty.</summary>
    public List<string> AllowedClientKeys { get; set; } = [];

    /// <summary>A folder of NAME.key public key files, each an allowed client.</summary>
    public string? AllowlistDirectory { get; set; }

    public int MaxMessageBytes { get; set; } = ProtocolCodec.DefaultMaxMessageBytes;

    /// <summary>Per-peer outgoing queue bound; a full queue drops the newest message instead of growing.</summary>
    public int SendHighWatermark { get; set; } = 16;

    public int ReceiveHighWatermark { get; set; } = 64;

    public int HeartbeatIntervalMs { get; set; } = 200;

    /// <summary>A peer silent this long is forgotten (it must say hello again).</summary>
    public int PeerTimeoutMs { get; set; } = 3000;

    public bool CurveEnabled => ServerSecretKey is not null || ServerKeyFile is not null;
}
