using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Native;
using Robotics.Transport.Security;

namespace Robotics.Transport.Tests.Fakes;

/// <summary>
/// A bare libzmq DEALER driven by the test thread: it sends exactly the frames a test gives it (hand-made envelopes,
/// junk, a chosen routing id, other keys), as an attacker or a peer written from PROTOCOL.md alone would.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _socket;
    private readonly ZmqPoller _poller;

    public RawPeer(string endpoint, CurveKeyPair? keys = null, string? serverKey = null, string? routingId = null)
    {
        _socket = new ZmqSocket(_context, LibZmq.Dealer);
        if (routingId is not null)
            _socket.Set(LibZmq.RoutingId, System.Text.Encoding.ASCII.GetBytes(routingId));
        if (serverKey is not null)
        {
            _socket.Set(LibZmq.CurveServerKey, serverKey);
            _socket.Set(LibZmq.CurvePublicKey, keys!.PublicKey);
            _socket.Set(LibZmq.CurveSecretKey, keys.SecretKey!);
        }

        _socket.Set(LibZmq.SndHwm, 4);
        _socket.Connect(endpoint);
        _poller = new ZmqPoller(_socket);
    }

    public ulong Sequence { get; set; }

    public bool SendFrames(params byte[][] frames)
    {
        bool ok = true;
        for (int i = 0; i < frames.Length; i++)
            ok &= _socket.TrySend(frames[i], more: i < frames.Length - 1);
        return ok;
    }

    public bool Send(IMessageBody body, ulong? sequence = null) =>
        SendFrames(ProtocolCodec.Encode(new Envelope(sequence ?? ++Sequence, "raw", MonotonicClock.NowNs(), body)));

    /// <summary>The next decoded message from the host, or null after <paramref name="timeoutMs"/>.</summary>
    public Envelope? Receive(int timeoutMs = 10_000, Func<Envelope, bool>? accept = null)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            while (_socket.TryReceive(int.MaxValue) is { Data: { } data })
            {
                var envelope = ProtocolCodec.Decode(data);
                if (envelope.Body is not HeartbeatMessage && (accept is null || accept(envelope)))
                    return envelope;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                return null;
            _poller.Wait(Math.Min(left, 50));
        }
    }

    public ErrorMessage? ReceiveError(int timeoutMs = 10_000) => Receive(timeoutMs, e => e.Body is ErrorMessage)?.Body as ErrorMessage;

    public void Dispose()
    {
        _socket.Dispose();
        _context.Dispose();
    }
}
