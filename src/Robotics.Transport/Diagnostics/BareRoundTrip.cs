using System.Diagnostics;
using Robotics.Protocol;
using Robotics.Transport.Native;
using Robotics.Transport.Security;

namespace Robotics.Transport.Diagnostics;

/// <summary>
/// The reference for the transport benchmark: round trips of the same bytes over bare libzmq ROUTER/DEALER sockets
/// on tcp loopback (blocking poll, no codec, no peer table), plaintext or CURVE, so the protocol stack's overhead
/// is measured against the same library doing the least possible.
/// </summary>
public static class BareRoundTrip
{
    public static List<long> Measure(byte[] request, byte[] reply, int count, bool curve, CancellationToken cancellationToken)
    {
        using var context = new ZmqContext();
        var serverKeys = curve ? CurveKeyPair.Generate() : null;
        var clientKeys = curve ? CurveKeyPair.Generate() : null;
        using var router = new ZmqSocket(context, LibZmq.Router);
        if (serverKeys is not null)
        {
            router.Set(LibZmq.CurveServer, 1);
            router.Set(LibZmq.CurveSecretKey, serverKeys.SecretKey!);
        }

        router.Bind("tcp://127.0.0.1:*");
        string endpoint = router.GetString(LibZmq.LastEndpoint);
        using var stop = new CancellationTokenSource();
        var echo = new Thread(() =>
        {
            using var dealer = new ZmqSocket(context, LibZmq.Dealer);
            if (clientKeys is not null)
            {
                dealer.Set(LibZmq.CurveServerKey, serverKeys!.PublicKey);
                dealer.Set(LibZmq.CurvePublicKey, clientKeys.PublicKey);
                dealer.Set(LibZmq.CurveSecretKey, clientKeys.SecretKey!);
            }

            dealer.Connect(endpoint);
            dealer.TrySend("ready"u8);
            var poller = new ZmqPoller(dealer);
            while (!stop.IsCancellationRequested)
            {
                poller.Wait(100);
                while (dealer.TryReceive(int.MaxValue) is not null)
                    dealer.TrySend(reply);
            }
        }) { IsBackground = true, Name = "bench-bare-echo" };
        echo.Start();
        var routerPoller = new ZmqPoller(router);
        byte[] identity = ReceiveMessage(router, routerPoller, cancellationToken)[0];
        var samples = new List<long>(count);
        try
        {
            for (int i = 0; i < count + 100; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long t0 = Stopwatch.GetTimestamp();
                router.TrySend(identity, more: true);
                router.TrySend(request);
                ReceiveMessage(router, routerPoller, cancellationToken);
                if (i >= 100) // warm-up excluded
                    samples.Add(MonotonicClock.TicksToNs(Stopwatch.GetTimestamp() - t0));
            }
        }
        finally
        {
            stop.Cancel();
            echo.Join();
        }

        return samples;
    }

    private static List<byte[]> ReceiveMessage(ZmqSocket socket, ZmqPoller poller, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        while (true)
        {
            if (socket.TryReceive(int.MaxValue) is { } first)
            {
                var frames = new List<byte[]> { first.Data! };
                var frame = first;
                while (frame.More && socket.TryReceive(int.MaxValue) is { } next)
                {
                    frames.Add(next.Data!);
                    frame = next;
                }

                return frames;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException("bare round trip: no reply within 5 s");
            poller.Wait(100);
        }
    }
}
