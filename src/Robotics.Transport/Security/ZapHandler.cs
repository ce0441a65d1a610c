using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Robotics.Protocol.Messages;
using Robotics.Transport.Native;

namespace Robotics.Transport.Security;

/// <summary>
/// The ZAP handler (ZeroMQ RFC 27) of one host context, served on the host's transport thread. libzmq asks it once
/// per connection, after the CURVE handshake proved that the client holds the secret of the key it presents. It
/// admits keys on the allowlist with their role and gives every admitted connection a fresh number; both travel
/// as connection metadata on every message. Refused connections are closed by libzmq before any message is read.
/// In plaintext mode (no keys, loopback only) it admits every connection and only numbers it.
/// </summary>
internal sealed class ZapHandler : IDisposable
{
    public const string Endpoint = "inproc://zeromq.zap.01";
    public const string Domain = "robotics";

    private readonly ClientAllowlist? _allowlist;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;
    private long _connections;

    public ZapHandler(ZmqContext context, ClientAllowlist? allowlist, TransportCounters counters, ILogger logger)
    {
        _allowlist = allowlist;
        _counters = counters;
        _logger = logger;
        Socket = new ZmqSocket(context, LibZmq.Rep);
        Socket.Bind(Endpoint);
    }

    public ZmqSocket Socket { get; }

    /// <summary>Answers every waiting request.</summary>
    public void Serve()
    {
        while (ReadRequest() is { } request)
            Reply(request.RequestId, Decide(request));
    }

    private (string Status, string Text, string UserId, PeerRole? Role) Decide(ZapRequest request)
    {
        if (_allowlist is null)
            return request.Mechanism == "NULL" ? ("200", "OK", "", null) : ("400", $"mechanism {request.Mechanism} is not configured", "", null);
        if (request.Mechanism != "CURVE" || request.Credential is not { Length: 32 } key)
            return ("400", "CURVE is required", "", null);
        string z85 = CurveKeys.Encode(key);
        if (_allowlist.RoleOf(z85) is { } role)
            return ("200", "OK", z85, role);
        _counters.AddUnauthorized();
        long refused = _counters.Unauthorized;
        if (refused <= 20 || refused % 1000 == 0)
            _logger.LogWarning("refused a CURVE client from {Address}: key {Key} is on no allowlist ({Count} refused so far)", request.Address, z85, refused);
        return ("400", "key not allowed", "", null);
    }

    private ZapRequest? ReadRequest()
    {
        var frames = new List<byte[]>(7);
        var frame = Socket.TryReceive(4096);
        if (frame is null)
            return null;
        while (true)
        {
            frames.Add(frame.Data ?? []);
            if (!frame.More || frames.Count > 8)
                break;
            frame = Socket.TryReceive(4096);
            if (frame is null)
                break;
        }

        if (frame is { More: true })
            Socket.SkipRest(frame);
        string Text(int i) => i < frames.Count ? Encoding.ASCII.GetString(frames[i]) : "";
        return new ZapRequest(frames.Count > 1 ? frames[1] : [], Text(3), Text(5), frames.Count > 6 ? frames[6] : null);
    }

    private void Reply(byte[] requestId, (string Status, string Text, string UserId, PeerRole? Role) decision)
    {
        string connection = decision.Status == "200" ? Interlocked.Increment(ref _connections).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var metadata = new List<byte>();
        if (decision.Status == "200")
        {
            Property(metadata, ZapMetadata.Connection, connection);
            if (decision.Role is { } role)
                Property(metadata, ZapMetadata.Role, role == PeerRole.Robot ? "robot" : "operator");
        }

        Socket.TrySend("1.0"u8, more: true);
        Socket.TrySend(requestId, more: true);
        Socket.TrySend(Encoding.ASCII.GetBytes(decision.Status), more: true);
        Socket.TrySend(Encoding.ASCII.GetBytes(decision.Text), more: true);
        Socket.TrySend(Encoding.ASCII.GetBytes(decision.UserId), more: true);
        Socket.TrySend(metadata.ToArray());
    }

    /// <summary>ZMTP metadata: name length (1 byte), name, value length (4 bytes, big-endian), value.</summary>
    private static void Property(List<byte> metadata, string name, string value)
    {
        metadata.Add((byte)name.Length);
        metadata.AddRange(Encoding.ASCII.GetBytes(name));
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        metadata.AddRange(length.ToArray());
        metadata.AddRange(Encoding.ASCII.GetBytes(value));
    }

    public void Dispose() => Socket.Dispose();

    private sealed record ZapRequest(byte[] RequestId, string Address, string Mechanism, byte[]? Credential);
}
