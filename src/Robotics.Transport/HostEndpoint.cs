using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Native;
using Robotics.Transport.Security;

namespace Robotics.Transport;

/// <summary>
/// The host side: one libzmq ROUTER socket and its ZAP handler, owned by one transport thread. In secured mode only
/// CURVE clients whose key is on an allowlist complete the handshake; every message then carries the connection's
/// authenticated key, role and a per-handshake connection number, so authentication belongs to the TCP connection
/// (a new connection reusing a routing id starts unauthenticated). Until a connection's hello is accepted its frames
/// are size-checked before any copy or decode. Only messages from peers that completed their hello reach
/// <see cref="MessageReceived"/>; anything else gets an error reply and a counter, never an exception.
/// <see cref="Send"/> may be called from any thread.
/// </summary>
public sealed class HostEndpoint : IDisposable
{
    /// <summary>Connections that have not said hello yet are tracked up to this many; the oldest are forgotten first.</summary>
    private const int MaxPendingPeers = 1024;

    /// <summary>At most this many messages per poll, so a flood cannot starve heartbeats and sends.</summary>
    private const int MaxMessagesPerPoll = 256;

    private readonly HostEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _router;
    private readonly ZapHandler _zap;
    private readonly ZmqWakeup _wakeup;
    private readonly ZmqPoller _poller;
    private readonly ConcurrentQueue<(string PeerId, IMessageBody Body)> _outbox = new();
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly CurveKeyPair? _serverKeys;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile PeerInfo[] _peerSnapshot = [];
    private long _nextHeartbeatNs;
    private bool _disposed;

    public HostEndpoint(HostEndpointOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _serverKeys = options.ServerSecretKey is not null ? CurveKeyPair.FromSecretKey(options.ServerSecretKey)
            : options.ServerKeyFile is not null ? CurveKeyFile.Read(options.ServerKeyFile) : null;
        if (_serverKeys is { SecretKey: null })
            throw new InvalidOperationException($"{options.ServerKeyFile} holds no secret key; pass the NAME.key_secret file");
        if (_serverKeys is not null && !LibZmqInfo.CurveAvailable)
            throw new ZmqException($"a server key is configured but {LibZmqInfo.Describe()}");
        var allowlist = _serverKeys is not null ? ClientAllowlist.From(options) : null;
        if (allowlist is { Count: 0 })
            throw new InvalidOperationException("CurveZMQ is on but no client key is allowed (RobotKeys / OperatorKeys)");

        try
        {
            _zap = new ZapHandler(_context, allowlist, Counters, logger);
            _wakeup = new ZmqWakeup(_context);
            _router = new ZmqSocket(_context, LibZmq.Router);
            _router.Set(LibZmq.RouterMandatory, 1);
            _router.Set(LibZmq.MaxMsgSize, 2L * options.MaxMessageBytes);
            _router.Set(LibZmq.SndHwm, options.SendHighWatermark);
            _router.Set(LibZmq.RcvHwm, options.ReceiveHighWatermark);
            _router.Set(LibZmq.HeartbeatIvl, options.HeartbeatIntervalMs);
            _router.Set(LibZmq.HeartbeatTimeout, options.PeerTimeoutMs);
            _router.Set(LibZmq.HandshakeIvl, 5000);
            // The ZAP domain makes libzmq consult the handler for plaintext connections too, which numbers them.
            _router.Set(LibZmq.ZapDomain, ZapHandler.Domain);
            if (_serverKeys is not null)
            {
                _router.Set(LibZmq.CurveServer, 1);
                _router.Set(LibZmq.CurveSecretKey, _serverKeys.SecretKey!);
            }

            BoundEndpoint = Bind(options.Bind);
        }
        catch
        {
            DisposeSockets();
            _context.Dispose();
            throw;
        }

        _poller = new ZmqPoller(_router, _zap.Socket, _wakeup.Reader);
        _thread = new Thread(Run) { Name = "robotics-host-transport", IsBackground = true };
    }

    /// <summary>Raised on the transport thread for every accepted message; handlers must be quick and must not throw.</summary>
    public event Action<InboundMessage>? MessageReceived;

    public event Action<PeerInfo>? PeerJoined;

    public event Action<PeerInfo>? PeerLost;

    /// <summary>
    /// Asked on the transport thread before a hello is welcomed: null admits the peer, an error refuses it (e.g. a
    /// robot whose action_dim does not match the policy). Set before <see cref="Start"/>.
    /// </summary>
    public Func<HelloMessage, ProtocolException?>? AdmitHello { get; set; }

    public string BoundEndpoint { get; }

    public string? ServerPublicKey => _serverKeys?.PublicKey;

    public bool Secured => _serverKeys is not null;

    public TransportCounters Counters { get; } = new();

    public IReadOnlyList<PeerInfo> Peers => _peerSnapshot;

    public void Start() => _thread.Start();

    /// <summary>Queues a message for a peer; dropped (and counted) if the peer is gone or its queue is full.</summary>
    public void Send(string peerId, IMessageBody body)
    {
        if (_disposed)
            return;
        _outbox.Enqueue((peerId, body));
        _wakeup.Raise();
    }

    private string Bind(string endpoint)
    {
        if (!EndpointAddress.TryParseTcp(endpoint, out string host, out string port))
            throw new ArgumentException($"bind endpoint '{endpoint}' is not tcp://ADDRESS:PORT");
        if (host.Contains(':', StringComparison.Ordinal))
            _router.Set(LibZmq.Ipv6, 1);
        string address = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        _router.Bind(EndpointAddress.IsRandomPort(port) ? $"tcp://{address}:*" : endpoint);
        return _router.GetString(LibZmq.LastEndpoint);
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                long now = MonotonicClock.NowNs();
                _poller.Wait(Math.Max(0, (_nextHeartbeatNs - now) / 1_000_000));
                if (_stopping)
                    break;
                if (_poller.Readable(1))
                    _zap.Serve();
                if (_poller.Readable(2))
                    _wakeup.Drain();
                DrainOutbox();
                if (_poller.Readable(0))
                    DrainIncoming();
                if (MonotonicClock.NowNs() >= _nextHeartbeatNs)
                {
                    OnHeartbeat();
                    _nextHeartbeatNs = MonotonicClock.NowNs() + _options.HeartbeatIntervalMs * 1_000_000L;
                }
            }
        }
        catch (Exception e)
        {
            // Not expected: the loop catches handler faults. Logged loudly; the control layer's watchdog stops the robot.
            _logger.LogCritical(e, "host transport thread failed");
        }
        finally
        {
            DisposeSockets();
        }
    }

    private void DrainIncoming()
    {
        for (int n = 0; n < MaxMessagesPerPoll; n++)
        {
            var idFrame = _router.TryReceive(256);
            if (idFrame is null)
                return;
            long now = MonotonicClock.NowNs();
            Counters.AddReceived();
            if (!idFrame.More || idFrame.Data is null)
                continue; // ROUTER always prefixes the routing id; nothing to answer without one
            string peerId = Convert.ToHexString(idFrame.Data);
            bool joined = _peers.TryGetValue(peerId, out var known) && known.Hello is not null;
            long limit = joined ? _options.MaxMessageBytes : _options.HelloMaxBytes;
            var frame = _router.TryReceive(limit, readProperties: true);
            if (frame is null)
                continue;
            var peer = Track(peerId, frame.Connection, frame.UserId, frame.Role, now);
            if (frame.More)
            {
                _router.SkipRest(frame);
                Refuse(peer, ProtocolErrorCode.Malformed, "a message is exactly one frame", null);
                continue;
            }

            Handle(peer, frame, peer.Hello is not null ? _options.MaxMessageBytes : _options.HelloMaxBytes, now);
        }
    }

    /// <summary>The state of the connection behind a routing id; a different connection number means the old one is gone.</summary>
    private PeerState Track(string peerId, string? connection, string? userId, string? role, long now)
    {
        if (_peers.TryGetValue(peerId, out var peer))
        {
            if (peer.Connection == connection)
            {
                peer.LastSeenNs = now;
                return peer;
            }

            Forget(peer, "a new connection took over its routing id");
        }

        if (_peers.Count >= MaxPendingPeers)
        {
            var oldest = _peers.Values.Where(p => p.Hello is null).MinBy(p => p.LastSeenNs);
            if (oldest is not null)
                _peers.Remove(oldest.PeerId);
        }

        var keyRole = role switch { "robot" => PeerRole.Robot, "operator" => PeerRole.Operator, _ => (PeerRole?)null };
        peer = new PeerState(peerId, connection, string.IsNullOrEmpty(userId) ? null : userId, keyRole) { LastSeenNs = now };
        _peers[peerId] = peer;
        return peer;
    }

    private void Handle(PeerState peer, ZmqFrame frame, long limit, long now)
    {
        if (frame.Data is null)
        {
            Counters.AddOversized();
            Refuse(peer, ProtocolErrorCode.TooLarge, peer.Hello is null
                ? $"{frame.Size} bytes before hello: until hello is accepted a message may have at most {limit} bytes (dropped unread)"
                : $"message of {frame.Size} bytes exceeds the limit of {limit}", null);
            return;
        }

        if (!ProtocolCodec.TryDecode(frame.Data, (int)limit, out var envelope, out var error))
        {
            if (peer.Hello is null && error!.MessageType != MessageType.Hello.ToWire())
                Refuse(peer, ProtocolErrorCode.Unauthorized, $"say hello first (this message was not a valid hello either: {error.Message})", error.Sequence);
            else
                Refuse(peer, error!.Code, error.Message, error.Sequence);
            if (error.MessageType == MessageType.Hello.ToWire())
                EndSession(peer); // a failed hello forgets the session it would have replaced
            return;
        }

        if (envelope!.Body is HelloMessage hello)
        {
            OnHello(peer, envelope, hello, now);
            return;
        }

        if (peer.Hello is null)
        {
            Refuse(peer, ProtocolErrorCode.Unauthorized, "say hello first", envelope.Sequence);
            return;
        }

        if (envelope.Sequence <= peer.LastSequence)
        {
            Refuse(peer, ProtocolErrorCode.InvalidValue, $"seq {envelope.Sequence} is not above the last accepted seq {peer.LastSequence} of this session", envelope.Sequence);
            return;
        }

        peer.LastSequence = envelope.Sequence;
        if (envelope.Body is HeartbeatMessage)
            return;
        try
        {
            MessageReceived?.Invoke(new InboundMessage(peer.PeerId, envelope, now));
        }
        catch (Exception e)
        {
            // A handler bug must not kill the transport thread; the control layer's watchdog takes care of safety.
            _logger.LogError(e, "message handler failed on {Type} from {Peer}", envelope.Type, peer.PeerId);
        }
    }

    private void OnHello(PeerState peer, Envelope envelope, HelloMessage hello, long now)
    {
        if (peer.Hello is { } current && SameHello(current, hello))
        {
            // A retransmitted hello (the client did not see our welcome in time) restarts the seq count but is not a
            // new session: the control layer must not take it for a robot that reconnected.
            peer.LastSequence = envelope.Sequence;
            SendNow(peer, new StatusMessage("welcome", $"protocol {ProtocolVersion.Current}"));
            return;
        }

        EndSession(peer);
        if (_serverKeys is not null && peer.KeyRole != hello.Role)
        {
            Refuse(peer, ProtocolErrorCode.Unauthorized, peer.KeyRole is { } role
                ? $"key {peer.ClientKey} is allowed as {RoleName(role)}, not as {RoleName(hello.Role)}"
                : "this connection has no authenticated key", envelope.Sequence);
            return;
        }

        if (AdmitHello?.Invoke(hello) is { } refusal)
        {
            Refuse(peer, refusal.Code, refusal.Message, envelope.Sequence);
            return;
        }

        peer.Hello = hello;
        peer.LastSequence = envelope.Sequence;
        var info = new PeerInfo(peer.PeerId, hello, peer.ClientKey, now);
        peer.Info = info;
        PublishSnapshot();
        _logger.LogInformation("peer {Peer} joined: {Role} '{Name}'{Key}", peer.PeerId, hello.Role, hello.Name, peer.ClientKey is null ? "" : $" with key {peer.ClientKey}");
        SendNow(peer, new StatusMessage("welcome", $"protocol {ProtocolVersion.Current}"));
        PeerJoined?.Invoke(info);
    }

    /// <summary>A new hello (or a broken one) ends the connection's current session; the control layer hears it as a loss.</summary>
    private void EndSession(PeerState peer)
    {
        if (peer.Hello is null)
            return;
        peer.Hello = null;
        PublishSnapshot();
        if (peer.Info is not null)
            PeerLost?.Invoke(peer.Info);
    }

    private static bool SameHello(HelloMessage a, HelloMessage b) =>
        a.Role == b.Role && a.Name == b.Name && a.ActionDim == b.ActionDim && a.StateDim == b.StateDim && a.ActionMode == b.ActionMode
        && (a.Cameras ?? []).SequenceEqual(b.Cameras ?? [], StringComparer.Ordinal);

    private static string RoleName(PeerRole role) => role == PeerRole.Robot ? "robot" : "operator";

    private void Refuse(PeerState peer, ProtocolErrorCode code, string message, ulong? sequence)
    {
        if (code == ProtocolErrorCode.Unauthorized) Counters.AddUnauthorized();
        else Counters.AddMalformed();
        // Throttled: a peer spraying garbage should not flood the log.
        long count = Counters.Malformed + Counters.Unauthorized + Counters.Oversized;
        if (count <= 20 || count % 1000 == 0)
            _logger.LogWarning("refused a message from {Peer}: {Code}: {Message} ({Count} refused so far)", peer.PeerId, code.ToWire(), message, count);
        SendNow(peer, new ErrorMessage(code.ToWire(), message, sequence));
    }

    private void DrainOutbox()
    {
        while (_outbox.TryDequeue(out var item))
        {
            if (_peers.TryGetValue(item.PeerId, out var peer) && peer.Hello is not null)
                SendNow(peer, item.Body);
            else
                Counters.AddSendDropped();
        }
    }

    private void SendNow(PeerState peer, IMessageBody body)
    {
        byte[] payload = ProtocolCodec.Encode(new Envelope(++peer.SendSequence, _options.Name, MonotonicClock.NowNs(), body));
        if (_router.TrySend(peer.RoutingId, more: true) && _router.TrySend(payload)) Counters.AddSent();
        else Counters.AddSendDropped();
    }

    private void OnHeartbeat()
    {
        long now = MonotonicClock.NowNs();
        long timeoutNs = _options.PeerTimeoutMs * 1_000_000L;
        foreach (var peer in _peers.Values.ToArray())
        {
            if (now - peer.LastSeenNs > timeoutNs)
            {
                if (peer.Hello is not null)
                    _logger.LogWarning("peer {Peer} ('{Name}') silent for {Ms} ms: forgotten", peer.PeerId, peer.Hello.Name, (now - peer.LastSeenNs) / 1_000_000);
                Forget(peer, null);
                continue;
            }

            if (peer.Hello is not null)
                SendNow(peer, HeartbeatMessage.Instance);
        }
    }

    private void Forget(PeerState peer, string? reason)
    {
        _peers.Remove(peer.PeerId);
        if (peer.Info is null || peer.Hello is null)
            return;
        PublishSnapshot();
        if (reason is not null)
            _logger.LogWarning("peer {Peer} ('{Name}') forgotten: {Reason}", peer.PeerId, peer.Hello.Name, reason);
        PeerLost?.Invoke(peer.Info);
    }

    private void PublishSnapshot() => _peerSnapshot = _peers.Values.Where(p => p.Hello is not null && p.Info is not null).Select(p => p.Info!).ToArray();

    private void DisposeSockets()
    {
        _router?.Dispose();
        _zap?.Dispose();
        _wakeup?.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stopping = true;
        if (_thread.IsAlive)
        {
            _wakeup.Raise();
            _thread.Join();
        }
        else
        {
            DisposeSockets();
        }

        _context.Dispose();
    }

    private sealed class PeerState(string peerId, string? connection, string? clientKey, PeerRole? keyRole)
    {
        public string PeerId { get; } = peerId;
        public byte[] RoutingId { get; } = Convert.FromHexString(peerId);
        public string? Connection { get; } = connection;
        public string? ClientKey { get; } = clientKey;
        public PeerRole? KeyRole { get; } = keyRole;
        public HelloMessage? Hello { get; set; }
        public PeerInfo? Info { get; set; }
        public ulong LastSequence { get; set; }
        public ulong SendSequence { get; set; }
        public long LastSeenNs { get; set; }
    }
}
