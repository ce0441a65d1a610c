using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Security;

namespace Robotics.Transport;

/// <summary>
/// The host side: one ROUTER socket owned by one poller thread. Every frame is decoded and checked here; only
/// messages from peers that completed an (authenticated) hello reach <see cref="MessageReceived"/>. Anything
/// else gets an error reply and a counter, never an exception. <see cref="Send"/> may be called from any thread.
/// </summary>
public sealed class HostEndpoint : IDisposable
{
    private readonly HostEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly RouterSocket _router = new();
    private readonly NetMQQueue<(string PeerId, IMessageBody Body)> _outbox = new();
    private readonly NetMQTimer _heartbeat;
    private readonly NetMQPoller _poller;
    private readonly Dictionary<string, PeerState> _peers = new(StringComparer.Ordinal);
    private readonly CurveKeyPair? _serverKeys;
    private readonly HashSet<string> _allowed;
    private ulong _sequence;
    private volatile PeerInfo[] _peerSnapshot = [];
    private bool _disposed;

    public HostEndpoint(HostEndpointOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _serverKeys = options.ServerSecretKey is not null ? CurveKeyPair.FromSecretKey(options.ServerSecretKey)
            : options.ServerKeyFile is not null ? CurveKeyFile.Read(options.ServerKeyFile) : null;
        if (_serverKeys is { SecretKey: null })
            throw new InvalidOperationException($"{options.ServerKeyFile} holds no secret key; pass the NAME.key_secret file");
        _allowed = new HashSet<string>(options.AllowedClientKeys, StringComparer.Ordinal);
        if (options.AllowlistDirectory is not null)
        {
            foreach (var file in Directory.EnumerateFiles(options.AllowlistDirectory, "*.key"))
                _allowed.Add(CurveKeyFile.Read(file).PublicKey);
        }

        _router.Options.MaxMsgSize = options.MaxMessageBytes;
        _router.Options.SendHighWatermark = options.SendHighWatermark;
        _router.Options.ReceiveHighWatermark = options.ReceiveHighWatermark;
        _router.Options.Linger = TimeSpan.Zero;
        // ZMTP heartbeats find dead TCP connections that never send a FIN (cable pulled, host frozen).
        _router.Options.HeartbeatInterval = TimeSpan.FromMilliseconds(options.HeartbeatIntervalMs);
        _router.Options.HeartbeatTimeout = TimeSpan.FromMilliseconds(options.PeerTimeoutMs);
        if (_serverKeys is not null)
        {
            _router.Options.CurveServer = true;
            _router.Options.CurveCertificate = _serverKeys.ToCertificate();
        }

        if (!EndpointAddress.TryParseTcp(options.Bind, out string host, out string port))
            throw new ArgumentException($"bind endpoint '{options.Bind}' is not tcp://ADDRESS:PORT");
        if (EndpointAddress.IsRandomPort(port))
        {
            int chosen = _router.BindRandomPort($"tcp://{host}");
            BoundEndpoint = $"tcp://{host}:{chosen}";
        }
        else
        {
            _router.Bind(options.Bind);
            BoundEndpoint = options.Bind;
        }

        _router.ReceiveReady += (_, _) => DrainIncoming();
        _outbox.ReceiveReady += (_, _) => DrainOutbox();
        _heartbeat = new NetMQTimer(TimeSpan.FromMilliseconds(options.HeartbeatIntervalMs));
        _heartbeat.Elapsed += (_, _) => OnHeartbeat();
        _poller = [_router, _outbox, _heartbeat];
    }

    /// <summary>Raised on the transport thread for every accepted message; handlers must be quick and must not throw.</summary>
    public event Action<InboundMessage>? MessageReceived;

    public event Action<PeerInfo>? PeerJoined;

    public event Action<PeerInfo>? PeerLost;

    public string BoundEndpoint { get; }

    public string? ServerPublicKey => _serverKeys?.PublicKey;

    public TransportCounters Counters { get; } = new();

    public IReadOnlyList<PeerInfo> Peers => _peerSnapshot;

    public void Start() => _poller.RunAsync("robotics-host-transport");

    /// <summary>Queues a message for a peer; dropped (and counted) if the peer is gone or its queue is full.</summary>
    public void Send(string peerId, IMessageBody body)
    {
        if (!_disposed)
            _outbox.Enqueue((peerId, body));
    }

    private void DrainIncoming()
    {
        NetMQMessage? frames = null;
        while (_router.TryReceiveMultipartMessage(ref frames))
        {
            long now = MonotonicClock.NowNs();
            Counters.AddReceived();
            string peerId = Convert.ToHexString(frames[0].Buffer);
            if (frames.FrameCount != 2)
            {
                Refuse(peerId, ProtocolErrorCode.Malformed, $"expected one payload frame, got {frames.FrameCount - 1}", null);
                continue;
            }

            if (!ProtocolCodec.TryDecode(frames[1].Buffer, _options.MaxMessageBytes, out var envelope, out var error))
            {
                Refuse(peerId, error!.Code, error.Message, null);
                continue;
            }

            if (envelope!.Body is HelloMessage hello)
            {
                OnHello(peerId, hello, now);
                continue;
            }

            if (!_peers.TryGetValue(peerId, out var peer))
            {
                Refuse(peerId, ProtocolErrorCode.Unauthorized, "say hello first (and, with CurveZMQ, with an allowed key)", envelope.Sequence);
                continue;
            }

            peer.LastSeenNs = now;
            if (envelope.Body is HeartbeatMessage)
                continue;
            try
            {
                MessageReceived?.Invoke(new InboundMessage(peerId, envelope, now));
            }
            catch (Exception e)
            {
                // A handler bug must not kill the transport thread; the control layer's watchdog takes care of safety.
                _logger.LogError(e, "message handler failed on {Type} from {Peer}", envelope.Type, peerId);
            }
        }
    }

    private void OnHello(string peerId, HelloMessage hello, long now)
    {
        string? clientKey = null;
        if (_serverKeys is not null)
        {
            if (hello.ClientKey is null || !_allowed.Contains(hello.ClientKey) || !KeyProof.Verify(_serverKeys, hello.ClientKey, hello.Proof))
            {
                _peers.Remove(peerId);
                Refuse(peerId, ProtocolErrorCode.Unauthorized, "client key is not on the allowlist or its proof is wrong", null);
                return;
            }

            clientKey = hello.ClientKey;
        }

        var info = new PeerInfo(peerId, hello, clientKey, now);
        _peers[peerId] = new PeerState(info) { LastSeenNs = now };
        PublishSnapshot();
        _logger.LogInformation("peer {Peer} joined: {Role} '{Name}'", peerId, hello.Role, hello.Name);
        SendNow(peerId, new StatusMessage("welcome", $"protocol {ProtocolVersion.Current}"));
        PeerJoined?.Invoke(info);
    }

    private void Refuse(string peerId, ProtocolErrorCode code, string message, ulong? sequence)
    {
        if (code == ProtocolErrorCode.Unauthorized) Counters.AddUnauthorized();
        else Counters.AddMalformed();
        // Throttled: a peer spraying garbage should not flood the log.
        long count = Counters.Malformed + Counters.Unauthorized;
        if (count <= 20 || count % 1000 == 0)
            _logger.LogWarning("refused a message from {Peer}: {Code}: {Message} ({Count} refused so far)", peerId, code.ToWire(), message, count);
        SendNow(peerId, new ErrorMessage(code.ToWire(), message, sequence));
    }

    private void DrainOutbox()
    {
        while (_outbox.TryDequeue(out var item, TimeSpan.Zero))
            SendNow(item.PeerId, item.Body);
    }

    private void SendNow(string peerId, IMessageBody body)
    {
        byte[] payload = ProtocolCodec.Encode(new Envelope(++_sequence, _options.Name, MonotonicClock.NowNs(), body));
        var message = new NetMQMessage(2);
        message.Append(Convert.FromHexString(peerId));
        message.Append(payload);
        if (_router.TrySendMultipartMessage(TimeSpan.Zero, message)) Counters.AddSent();
        else Counters.AddSendDropped();
    }

    private void OnHeartbeat()
    {
        long now = MonotonicClock.NowNs();
        long timeoutNs = _options.PeerTimeoutMs * 1_000_000L;
        foreach (var (peerId, peer) in _peers.ToArray())
        {
            if (now - peer.LastSeenNs > timeoutNs)
            {
                _peers.Remove(peerId);
                PublishSnapshot();
                _logger.LogWarning("peer {Peer} ('{Name}') silent for {Ms} ms: forgotten", peerId, peer.Info.Hello.Name, (now - peer.LastSeenNs) / 1_000_000);
                PeerLost?.Invoke(peer.Info);
                continue;
            }

            SendNow(peerId, HeartbeatMessage.Instance);
        }
    }

    private void PublishSnapshot() => _peerSnapshot = _peers.Values.Select(p => p.Info).ToArray();

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_poller.IsRunning)
            _poller.Stop();
        _poller.Dispose();
        _router.Dispose();
        _outbox.Dispose();
    }

    private sealed class PeerState(PeerInfo info)
    {
        public PeerInfo Info { get; } = info;
        public long LastSeenNs { get; set; }
    }
}
