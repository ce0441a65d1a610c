using Robotics.Protocol.Codec;

namespace Robotics.Transport;

/// <summary>
/// The host's ROUTER socket. Bound to loopback unless <see cref="AllowNonLoopback"/>; secured (CurveZMQ with the
/// ZAP allowlists, which cannot be downgraded) when a server key is given.
/// </summary>
public sealed class HostEndpointOptions
{
    public const string SectionName = "Transport";

    /// <summary>tcp://ADDRESS:PORT; port 0 or * picks a free port (see <see cref="HostEndpoint.BoundEndpoint"/>).</summary>
    public string Bind { get; set; } = "tcp://127.0.0.1:5555";

    public bool AllowNonLoopback { get; set; }

    public string Name { get; set; } = "host";

    /// <summary>Z85 server secret key; or <see cref="ServerKeyFile"/>. Either turns the secured mode on.</summary>
    public string? ServerSecretKey { get; set; }

    /// <summary>A NAME.key_secret file from <c>robotics keys generate</c>.</summary>
    public string? ServerKeyFile { get; set; }

    /// <summary>Z85 public keys allowed to connect as the robot (only they may stream observations).</summary>
    public List<string> RobotKeys { get; set; } = [];

    /// <summary>Z85 public keys allowed to connect as operators (only they may send commands).</summary>
    public List<string> OperatorKeys { get; set; } = [];

    /// <summary>A folder of NAME.key public key files, each an allowed robot.</summary>
    public string? RobotKeyDirectory { get; set; }

    /// <summary>A folder of NAME.key public key files, each an allowed operator.</summary>
    public string? OperatorKeyDirectory { get; set; }

    /// <summary>Largest message the host decodes; larger ones get <c>too_large</c>, and above twice this the connection is dropped.</summary>
    public int MaxMessageBytes { get; set; } = ProtocolCodec.DefaultMaxMessageBytes;

    /// <summary>Until a connection's hello is accepted, larger frames are dropped unread (no copy, no decode).</summary>
    public int HelloMaxBytes { get; set; } = 64 * 1024;

    /// <summary>Per-peer outgoing queue bound; a full queue drops the newest message instead of growing.</summary>
    public int SendHighWatermark { get; set; } = 16;

    /// <summary>
    /// Per-peer incoming queue bound inside libzmq. The host keeps only the newest observation, so a deep queue buys
    /// nothing and would let one peer park (bound x message size) bytes in the host.
    /// </summary>
    public int ReceiveHighWatermark { get; set; } = 8;

    public int HeartbeatIntervalMs { get; set; } = 200;

    /// <summary>A peer silent this long is forgotten (it must say hello again).</summary>
    public int PeerTimeoutMs { get; set; } = 3000;

    public bool CurveEnabled => ServerSecretKey is not null || ServerKeyFile is not null;

    public bool HasAllowlist => RobotKeys.Count > 0 || OperatorKeys.Count > 0 || RobotKeyDirectory is not null || OperatorKeyDirectory is not null;
}
