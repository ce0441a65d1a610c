using Robotics.Core.Arrays;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Native;

namespace Robotics.Control.Tests.Fakes;

/// <summary>
/// A bare DEALER speaking the protocol with sequence numbers the test picks (ClientEndpoint numbers its own), so a test
/// can replay or reorder messages. Not thread-safe: send and receive from the test thread only.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly ZmqSocket _dealer;
    private readonly ZmqPoller _poller;

    public RawPeer(string endpoint)
    {
        _dealer = new ZmqSocket(_context, LibZmq.Dealer);
        _dealer.Connect(endpoint);
        _poller = new ZmqPoller(_dealer);
    }

    /// <summary>Everything the host sent (heartbeats left out), oldest first.</summary>
    public List<Envelope> Received { get; } = [];

    public static HelloMessage RobotHello(int actionDim = 2, int stateDim = 4, IReadOnlyList<string>? cameras = null) =>
        new(PeerRole.Robot, "raw-robot", actionDim, stateDim, ActionMode.Delta, cameras ?? []);

    public static ObservationMessage Observation(long step, IReadOnlyDictionary<string, NdArray>? images = null) =>
        new(0, step, NdArray.FromFloats([0f, 0f, 0.5f, 0f], 4), images ?? new Dictionary<string, NdArray>(), 0);

    public void Send(ulong sequence, IMessageBody body) =>
        _dealer.TrySend(ProtocolCodec.Encode(new Envelope(sequence, "raw", MonotonicClock.NowNs(), body)));

    /// <summary>Receives until a message matching <paramref name="match"/> arrives; null on timeout.</summary>
    public T? WaitFor<T>(Func<T, bool> match, int timeoutMs = 5000) where T : class, IMessageBody
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        int seen = 0;
        while (true)
        {
            for (; seen < Received.Count; seen++)
            {
                if (Received[seen].Body is T body && match(body))
                    return body;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                return null;
            Pump(TimeSpan.FromMilliseconds(Math.Min(left, 20)));
        }
    }

    /// <summary>Takes in whatever arrives for this long.</summary>
    public void Pump(TimeSpan duration)
    {
        var deadline = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        do
        {
            _poller.Wait(5);
            while (_dealer.TryReceive(int.MaxValue) is { Data: { } bytes })
            {
                var envelope = ProtocolCodec.Decode(bytes);
                if (envelope.Body is not HeartbeatMessage)
                    Received.Add(envelope);
            }
        }
        while (Environment.TickCount64 < deadline);
    }

    public void Dispose()
    {
        _dealer.Dispose();
        _context.Dispose();
    }
}
