using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Native;

namespace Robotics.Transport;

/// <summary>
/// The peer side: one libzmq DEALER socket on one transport thread. Sends hello until the host welcomes it, again
/// whenever the host answers "unauthorized" (it restarted, or the connection was replaced), and heartbeats while
/// idle. With a server key the socket is a CURVE client: libzmq completes no handshake with a host that does not
/// hold that key's secret and refuses pre-ZMTP/3 framing, so nothing is sent in plaintext and nothing is received
/// from an impostor. Messages from the host are delivered only after its welcome on this session, except
/// <c>command{stop}</c> (holding is always safe). Sends never block: a full queue drops the message and counts it.
/// <see cref="Send"/> may be called from any thread.
/// </summary>
public sealed class ClientEndpoint : IDisposable
{
    private readonly ClientEndpointOptions _options;
    private readonly HelloMessage _hello;
    private readonly ILogger _logger;
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _dealer;
    private readonly ZmqWakeup _wakeup;
    private readonly ZmqPoller _poller;
    private readonly ConcurrentQueue<IMessageBody> _outbox = new();
    private readonly Thread _thread;
    private readonly long _timerNs;
    private volatile bool _stopping;
    private ulong _sequence;
    private ulong _lastHostSequence;
    private long _lastHelloNs;
    private long _lastSentNs;
    private long _lastHostNs;
    private volatile bool _welcomed;
    private bool _disposed;

    public ClientEndpoint(ClientEndpointOptions options, HelloMessage hello, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _hello = hello;
        try
        {
            _dealer = new ZmqSocket(_context, LibZmq.Dealer);
            if (options.ServerPublicKey is not null)
            {
                var keys = options.ClientKeys ?? throw new ArgumentException("CurveZMQ needs the client's own key pair (ClientKeys) besides the server key");
                if (keys.SecretKey is null)
                    throw new ArgumentException("the client key pair has no secret key; pass the NAME.key_secret file");
                if (!LibZmqInfo.CurveAvailable)
                    throw new ZmqException($"a server key is configured but {LibZmqInfo.Describe()}");
                Security.CurveKeys.Decode(options.ServerPublicKey, "server public key");
                _dealer.Set(LibZmq.CurveServerKey, options.ServerPublicKey);
                _dealer.Set(LibZmq.CurvePublicKey, keys.PublicKey);
                _dealer.Set(LibZmq.CurveSecretKey, keys.SecretKey);
            }

            _dealer.Set(LibZmq.MaxMsgSize, (long)options.MaxMessageBytes);
            _dealer.Set(LibZmq.SndHwm, options.SendHighWatermark);
            _dealer.Set(LibZmq.RcvHwm, options.ReceiveHighWatermark);
            _dealer.Set(LibZmq.ReconnectIvl, options.ReconnectIntervalMs);
            _dealer.Set(LibZmq.ReconnectIvlMax, Math.Max(options.ReconnectIntervalMs, 1000));
            _dealer.Set(LibZmq.HeartbeatIvl, options.HeartbeatIntervalMs);
            _dealer.Set(LibZmq.HeartbeatTimeout, Math.Max(options.HeartbeatTimeoutMs, options.HeartbeatIntervalMs));
            if (EndpointAddress.TryParseTcp(options.Connect, out string host, out _) && host.Contains(':', StringComparison.Ordinal))
                _dealer.Set(LibZmq.Ipv6, 1);
            _dealer.Connect(options.Connect);
            _wakeup = new ZmqWakeup(_context);
        }
        catch
        {
            _dealer?.Dispose();
            _context.Dispose();
            throw;
        }

        _poller = new ZmqPoller(_dealer, _wakeup.Reader);
        _timerNs = Math.Min(options.HeartbeatIntervalMs, 100) * 1_000_000L;
        _thread = new Thread(Run) { Name = $"robotics-client-{options.Name}", IsBackground = true };
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
        _outbox.Enqueue(_hello);
        _thread.Start();
    }

    public void Send(IMessageBody body)
    {
        if (_disposed)
            return;
        _outbox.Enqueue(body);
        _wakeup.Raise();
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

    private void Run()
    {
        try
        {
            long nextTimerNs = 0;
            while (!_stopping)
            {
                _poller.Wait(Math.Max(0, (nextTimerNs - MonotonicClock.NowNs()) / 1_000_000));
                if (_stopping)
                    break;
                if (_poller.Readable(1))
                    _wakeup.Drain();
                DrainOutbox();
                if (_poller.Readable(0))
                    DrainIncoming();
                if (MonotonicClock.NowNs() >= nextTimerNs)
                {
                    OnTimer();
                    nextTimerNs = MonotonicClock.NowNs() + _timerNs;
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "client transport thread failed");
        }
        finally
        {
            _dealer.Dispose();
            _wakeup.Dispose();
        }
    }

    private void DrainIncoming()
    {
        while (_dealer.TryReceive(_options.MaxMessageBytes) is { } frame)
        {
            long now = MonotonicClock.NowNs();
            Counters.AddReceived();
            Interlocked.Exchange(ref _lastHostNs, now);
            if (frame.More)
                _dealer.SkipRest(frame);
            if (frame.More || frame.Data is null || !ProtocolCodec.TryDecode(frame.Data, _options.MaxMessageBytes, out var envelope, out _))
            {
                Counters.AddMalformed();
                _logger.LogWarning("dropped a bad message from the host ({Bytes} bytes)", frame.Size);
                continue;
            }

            // A host restart or a new connection starts its count again at 1; a lower seq then is not a replay.
            if (envelope!.Sequence <= _lastHostSequence && envelope.Sequence != 1)
            {
                Counters.AddMalformed();
                continue;
            }

            _lastHostSequence = envelope.Sequence;
            switch (envelope.Body)
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
                        // The host restarted, replaced our connection or refused us; hello again, at most every 250 ms.
                        _welcomed = false;
                        if (now - _lastHelloNs > 250_000_000)
                            SendNow(_hello);
                    }

                    ErrorReceived?.Invoke(e);
                    continue;
                case CommandMessage { Command: CommandKind.Stop }:
                    break;
                default:
                    if (!_welcomed)
                    {
                        Counters.AddUnauthorized();
                        continue;
                    }

                    break;
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
        while (_outbox.TryDequeue(out var body))
            SendNow(body);
    }

    private void SendNow(IMessageBody body)
    {
        long now = MonotonicClock.NowNs();
        if (body is HelloMessage)
            _lastHelloNs = now;
        byte[] payload = ProtocolCodec.Encode(new Envelope(++_sequence, _options.Name, now, body));
        if (_dealer.TrySend(payload))
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
        else if (_welcomed && now - _lastSentNs > _options.HeartbeatIntervalMs * 1_000_000L)
            SendNow(HeartbeatMessage.Instance);
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
            _dealer.Dispose();
            _wakeup.Dispose();
        }

        _context.Dispose();
    }
}
