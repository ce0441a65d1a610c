using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// Round trips over tcp loopback with the same two payloads (an encoded action chunk out, an encoded observation
/// back): once on bare NetMQ sockets (blocking send/receive, no codec), once through the protocol stack
/// (HostEndpoint / ClientEndpoint: poller threads, encode and decode both ways, peer checks).
/// </summary>
public static class TransportRoundTrip
{
    public static List<long> Bare(byte[] request, byte[] reply, int count, CancellationToken ct)
    {
        using var router = new RouterSocket();
        router.Options.Linger = TimeSpan.Zero;
        int port = router.BindRandomPort("tcp://127.0.0.1");
        using var stop = new CancellationTokenSource();
        var echo = new Thread(() =>
        {
            using var dealer = new DealerSocket();
            dealer.Options.Linger = TimeSpan.Zero;
            dealer.Connect($"tcp://127.0.0.1:{port}");
            dealer.SendFrame("ready");
            while (!stop.IsCancellationRequested)
            {
                if (dealer.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(100), out _))
                    dealer.SendFrame(reply);
            }
        }) { IsBackground = true, Name = "bench-bare-echo" };
        echo.Start();
        var identity = router.ReceiveFrameBytes();
        router.ReceiveFrameBytes(); // "ready"
        var samples = new List<long>(count);
        for (int i = 0; i < count + 100; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            router.SendMoreFrame(identity).SendFrame(request);
            router.ReceiveFrameBytes();
            router.ReceiveFrameBytes();
            if (i >= 100) // warm-up excluded
                samples.Add(MonotonicClock.TicksToNs(Stopwatch.GetTimestamp() - t0));
        }

        stop.Cancel();
        echo.Join();
        return samples;
    }

    public static List<long> Protocol(ActionChunkMessage request, ObservationMessage reply, int count, CancellationToken ct)
    {
        using var host = new HostEndpoint(new HostEndpointOptions { Bind = "tcp://127.0.0.1:0" }, NullLogger.Instance);
        using var arrived = new SemaphoreSlim(0);
        host.MessageReceived += m =>
        {
            if (m.Envelope.Body is ObservationMessage)
                arrived.Release();
        };
        host.Start();
        using var client = new ClientEndpoint(new ClientEndpointOptions { Connect = host.BoundEndpoint, Name = "bench-robot" },
            new HelloMessage(PeerRole.Robot, "bench-robot", request.Actions.Shape[1], reply.State.Shape[0]), NullLogger.Instance);
        client.MessageReceived += m =>
        {
            if (m.Envelope.Body is ActionChunkMessage)
                client.Send(reply);
        };
        client.Start();
        if (!client.WaitWelcomed(TimeSpan.FromSeconds(10), ct))
            throw new TimeoutException("bench client was not welcomed");
        string peer = host.Peers.Single().PeerId;
        var samples = new List<long>(count);
        for (int i = 0; i < count + 100; i++)
        {
            ct.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            host.Send(peer, request);
            if (!arrived.Wait(TimeSpan.FromSeconds(5), ct))
                throw new TimeoutException($"round trip {i} did not complete");
            if (i >= 100)
                samples.Add(MonotonicClock.TicksToNs(Stopwatch.GetTimestamp() - t0));
        }

        return samples;
    }

    /// <summary>The encoded size of the envelope as the stack would send it, to build the bare payload of the same size.</summary>
    public static byte[] Encoded(IMessageBody body) => ProtocolCodec.Encode(new Envelope(1, "bench", 0, body));
}
