using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Security;

namespace Robotics.Transport;

/// <summary>
/// The peer side: one DEALER socket on one poller thread. Sends hello until the host welcomes it, again whenever the
/// host answers "unauthorized" (it restarted and forgot us), and heartbeats while idle. Sends never block: a full
/// queue (host gone) drops the message and counts it. <see cref="Send"/> may be called from any thread.
/// </summary>
public sealed class ClientEndpoint : IDisposable
{
    private readonly ClientEndpointOptions _options;
    private readonly HelloMessage _hello;
    private readonly ILogger _logger;
    private readonly DealerSocket _dealer = new();
    private readonly NetMQQueue<IMessageBody> _outbox = new();
    private readonly NetMQTimer _timer;
    private readonly NetMQPoller _poller;
    private ulong _sequence;
    private long _lastHelloNs;
    private long _lastSentNs;
    private long _lastHostNs;
    private volatile bool _welcomed;
    private bool _disposed;

    public ClientEndpoint(ClientEndpointOptions options, HelloMessage hello, ILogger logger)
    {
        _options = options;
        _logger = logger;
        if (options.ServerPublicKey is not null)
        {
            var keys = options.ClientKeys ?? throw new ArgumentException("CurveZMQ needs the client's own key pair (ClientKeys) besides the server key");
            _dealer.Options.CurveServerKey = NetMQCertificate.FromPublicKey(options.ServerPublicKey).PublicKey;
            _dealer.Options.CurveCertificate = keys.ToCertificate();
            hello = hello with { ClientKey = keys.PublicKey, Proof = KeyProof.Create(keys, options.ServerPublicKey) };
        }

        _hello = hello;
        _dealer.Options.MaxMsgSize = options.MaxMessageBytes;
        _dealer.Options.SendHighWatermark = options.SendHighWatermark;
        _dealer.Options.ReceiveHighWatermark = options.ReceiveHighWatermark;
        _dealer.Options.ReconnectInterval = TimeSpan.FromMilliseconds(options.ReconnectIntervalMs);
        _dealer.Options.ReconnectIntervalMax = TimeSpan.FromMilliseconds(Math.Max(options.ReconnectIntervalMs, 1000));
        _dealer.Options.Linger = TimeSpan.Zero;
        _dealer.Options.HeartbeatInterval = TimeSpan.FromMilliseconds(options.HeartbeatIntervalMs);
        _dealer.Options.HeartbeatTimeout = TimeSpan.FromMilliseconds(Math.Max(options.HeartbeatTimeoutMs, options.HeartbeatIntervalMs));
        _dealer.Connect(options.Connect);
        _dealer.ReceiveReady += (_, _) => DrainIncoming();
        _outbox.ReceiveReady += (_, _) => DrainOutbox();
        _timer = new NetMQTimer(TimeSpan.FromMilliseconds(Math.Min(options.HeartbeatIntervalMs, 100)));
        _timer.Elapsed += (_, _) => OnTimer();
        _poller = [_dealer, _outbox, _timer];
    }

    /// <summary>Raised on the transport thread for every message except heartbeats and welcomes.</summary>
    public event Action<InboundMessage>? MessageReceived;

    /// <summary>Raised on the transport thread for each error reply from the host.</summary>
    public event Action<ErrorMessage>? ErrorReceived;

    public bool Welcomed => _welcomed;

    public TransportCounters Counters { get; } = new();

    /// <summary>Our monotonic clock at the last message of any kind from the host (0: never).</summary>
    public long LastHostMessageNs => Interlocked.Read(ref _lastHostNs);

    public void Start()
    {
        _poller.RunAsync($"robotics-client-{_options.Name}");
        _outbox.Enqueue(_hello);
    }

    public void Send(IMessageBody body)
    {
        if (!_disposed)
            _outbox.Enqueue(body);
    }

    /// <summary>Waits until the host has welcomed us.</summary>
    public bool WaitWelcomed(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_welcomed && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.Sleep(5);
        }

        return _welcomed;
    }

    private void DrainIncoming()
    {
        NetMQMessage? frames = null;
        while (_dealer.TryReceiveMultipartMessage(ref frames))
        {
            long now = MonotonicClock.NowNs();
            Counters.AddReceived();
            Interlocked.Exchange(ref _lastHostNs, now);
            if (frames.FrameCount != 1 || !ProtocolCodec.TryDecode(frames[0].Buffer, _options.MaxMessageBytes, out var envelope, out var error))
            {
                Counters.AddMalformed();
                _logger.LogWarning("dropped a bad message from the host: {Error}", frames.FrameCount != 1 ? $"{frames.FrameCount} frames" : "decode failed");
                continue;
            }

            switch (envelope!.Body)
            {
                case HeartbeatMessage:
                    continue;
                case StatusMessage { State: "welcome" }:
                    _welcomed = true;
                    continue;
                case ErrorMessage e:
                    if (e.Code == ProtocolErrorCode.Unauthorized.ToWire())
                    {
                        Counters.AddUnauthorized();
                        // The host restarted (or refused our key); hello again, at most every 250 ms.
                        _welcomed = false;
                        if (now - _lastHelloNs > 250_000_000)
                            SendNow(_hello);
                    }

                    ErrorReceived?.Invoke(e);
                    continue;
            }

            try
            {
                MessageReceived?.Invoke(new InboundMessage("host", envelope, now));
            }
            catch (Exception e)
            {
                _logger.LogError(e, "message handler failed on {Type}", envelope.Type);
            }
        }
    }

    private void DrainOutbox()
    {
        while (_outbox.TryDequeue(out var body, TimeSpan.Zero))
            SendNow(body);
    }

    private void SendNow(IMessageBody body)
    {
        long now = MonotonicClock.NowNs();
        if (body is HelloMessage)
            _lastHelloNs = now;
        byte[] payload = ProtocolCodec.Encode(new Envelope(++_sequence, _options.Name, now, body));
        if (_dealer.TrySendFrame(TimeSpan.Zero, payload))
        {
            _lastSentNs = now;
            Counters.AddSent();
        }
        else
        {
            Counters.AddSendDropped();
        }
    }

    private void OnTimer()
    {
        long now = MonotonicClock.NowNs();
        if (!_welcomed && now - _lastHelloNs > 500_000_000)
            SendNow(_hello);
        else if (now - _lastSentNs > _options.HeartbeatIntervalMs * 1_000_000L)
            SendNow(HeartbeatMessage.Instance);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_poller.IsRunning)
            _poller.Stop();
        _poller.Dispose();
        _dealer.Dispose();
        _outbox.Dispose();
    }
}
