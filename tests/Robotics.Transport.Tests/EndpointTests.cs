using System.Collections.Concurrent;
using NetMQ;
using NetMQ.Sockets;
using Robotics.Core.Arrays;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport.Tests.Fakes;

namespace Robotics.Transport.Tests;

public class EndpointTests
{
    private static ObservationMessage Observation(long step) =>
        new(0, step, NdArray.FromFloats([1f, 2f, 3f], 3), new Dictionary<string, NdArray>());

    [Fact]
    public void RobotSaysHelloAndMessagesFlowBothWays()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        var clientInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(), hostInbox);
        using var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello(), clientInbox);

        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
        Assert.Single(host.Peers);
        Assert.Equal(PeerRole.Robot, host.Peers[0].Role);
        client.Send(Observation(5));
        Assert.True(Loopback.WaitFor(() => hostInbox.Any(m => m.Envelope.Body is ObservationMessage)));
        var obs = hostInbox.Select(m => m.Envelope.Body).OfType<ObservationMessage>().Single();
        Assert.Equal(5, obs.Step);

        host.Send(host.Peers[0].PeerId, new ActionChunkMessage(1, 0, 5, 0.02, NdArray.FromFloats(new float[4], 2, 2)));
        Assert.True(Loopback.WaitFor(() => clientInbox.Any(m => m.Envelope.Body is ActionChunkMessage)));
        // Sequence numbers are per sender and strictly increasing.
        var seqs = clientInbox.Select(m => m.Envelope.Sequence).ToArray();
        Assert.Equal(seqs.Order(), seqs);
    }

    [Fact]
    public void GarbageTruncatedWrongVersionAndMultiFrameMessagesGetErrorRepliesAndTheHostKeepsServing()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o => o.MaxMessageBytes = 64 * 1024), hostInbox);
        using (var raw = new DealerSocket())
        {
            raw.Options.Linger = TimeSpan.Zero;
            raw.Connect(host.BoundEndpoint);
            var valid = ProtocolCodec.Encode(new Envelope(1, "raw", 0, Loopback.RobotHello("raw")));
            var rng = new Random(7);
            var cases = new List<byte[][]>
            {
                new[] { new byte[] { 0xc1 } },
                new[] { valid[..(valid.Length / 2)] },
                new[] { ProtocolCodec.Encode(new Envelope(1, "raw", 0, HeartbeatMessage.Instance, Version: 9)) },
                new[] { valid, valid },
                new[] { ProtocolCodec.Encode(new Envelope(2, "raw", 0, Observation(1))) }, // valid, but no hello on this connection yet
            };
            for (int i = 0; i < 50; i++)
            {
                var junk = new byte[rng.Next(1, 200)];
                rng.NextBytes(junk);
                cases.Add([junk]);
            }

            // One at a time: each case gets its own reply before the next is sent.
            var codes = new List<string>();
            for (int i = 0; i < cases.Count; i++)
            {
                var message = new NetMQMessage();
                foreach (var f in cases[i])
                    message.Append(f);
                raw.SendMultipartMessage(message);
                Assert.True(raw.TryReceiveFrameBytes(TimeSpan.FromSeconds(5), out var reply), $"no reply to case {i}");
                codes.Add(((ErrorMessage)ProtocolCodec.Decode(reply!).Body).Code);
            }

            Assert.Contains("unsupported_version", codes);
            Assert.Contains("unauthorized", codes);
            Assert.Contains("malformed", codes);
            Assert.Equal(cases.Count, host.Counters.Malformed + host.Counters.Unauthorized);
        }

        Assert.Empty(hostInbox);
        using var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void OversizedMessageIsDroppedWithTheConnectionAndTheHostKeepsServing()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o => o.MaxMessageBytes = 4096), hostInbox);
        using var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
        var big = new ObservationMessage(0, 1, NdArray.FromFloats(new float[10_000], 10_000), new Dictionary<string, NdArray>());
        client.Send(big);
        // NetMQ drops the connection on an oversized frame; the client reconnects, says hello again, and gets through.
        var deadline = Environment.TickCount64 + 5000;
        while (!hostInbox.Any(m => m.Envelope.Body is ObservationMessage { Step: 2 }) && Environment.TickCount64 < deadline)
        {
            client.Send(Observation(2));
            Thread.Sleep(50);
        }

        Assert.Contains(hostInbox, m => m.Envelope.Body is ObservationMessage { Step: 2 });
        Assert.DoesNotContain(hostInbox, m => m.Envelope.Body is ObservationMessage { Step: 1 });
        using var other = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint, "other"), Loopback.RobotHello("other"));
        Assert.True(other.WaitWelcomed(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void ClientReconnectsAndSaysHelloAgainAfterTheHostRestarts()
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        var options = Loopback.HostOptions();
        var host = Loopback.StartHost(options, inbox);
        string endpoint = host.BoundEndpoint;
        using var client = Loopback.StartClient(Loopback.ClientOptions(endpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
        host.Dispose();

        // Same port again, as a restarted `robotics serve` would bind.
        options.Bind = endpoint;
        // The old listener closes on NetMQ's I/O thread shortly after Dispose; retry the bind briefly.
        HostEndpoint? started = null;
        Assert.True(Loopback.WaitFor(() =>
        {
            try
            {
                started = Loopback.StartHost(options, inbox);
                return true;
            }
            catch (NetMQ.AddressAlreadyInUseException)
            {
                return false;
            }
        }, 3000));
        using var restarted = started!;
        client.Send(Observation(9));
        Assert.True(Loopback.WaitFor(() => restarted.Peers.Count == 1, 8000), "client did not say hello to the restarted host");
        client.Send(Observation(10));
        Assert.True(Loopback.WaitFor(() => inbox.Any(m => m.Envelope.Body is ObservationMessage { Step: 10 })));
    }

    [Fact]
    public void SilentPeerIsForgottenAfterTheTimeout()
    {
        using var host = Loopback.StartHost(Loopback.HostOptions(), new ConcurrentQueue<InboundMessage>());
        PeerInfo? lost = null;
        host.PeerLost += p => lost = p;
        var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
        client.Dispose(); // a killed robot: no goodbye
        Assert.True(Loopback.WaitFor(() => lost is not null, 3000));
        Assert.Empty(host.Peers);
    }
}
