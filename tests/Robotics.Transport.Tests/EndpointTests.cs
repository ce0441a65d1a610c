using System.Collections.Concurrent;
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
        // Sequence numbers are per connection and strictly increasing.
        var seqs = clientInbox.Select(m => m.Envelope.Sequence).ToArray();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Distinct(), seqs);
    }

    [Fact]
    public void GarbageTruncatedWrongVersionAndMultiFrameMessagesGetErrorRepliesAndTheHostKeepsServing()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o => o.MaxMessageBytes = 64 * 1024), hostInbox);
        using (var raw = new RawPeer(host.BoundEndpoint))
        {
            var valid = ProtocolCodec.Encode(new Envelope(1, "raw", 0, Loopback.RobotHello("raw")));
            var rng = new Random(7);
            var cases = new List<byte[][]>
            {
                new[] { new byte[] { 0xc1 } },
                new[] { valid[..(valid.Length / 2)] },
                new[] { ProtocolCodec.Encode(new Envelope(1, "raw", 0, HeartbeatMessage.Instance, Version: 9)) },
                new[] { valid, valid },
                new[] { ProtocolCodec.Encode(new Envelope(2, "raw", 0, Observation(1))) }, // valid, but no hello on this connection yet
                new[] { new byte[] { 0x93, 1, 2, 3 } }, // an array, not a map
            };
            for (int i = 0; i < 50; i++)
            {
                var junk = new byte[rng.Next(1, 200)];
                rng.NextBytes(junk);
                cases.Add([junk]);
            }

            // One at a time: each case gets its own reply before the next is sent. Before a hello is accepted,
            // anything that is not a hello is answered "unauthorized", whatever is wrong with it.
            var replies = new List<ErrorMessage>();
            for (int i = 0; i < cases.Count; i++)
            {
                raw.SendFrames(cases[i]);
                replies.Add(raw.ReceiveError() ?? throw new Xunit.Sdk.XunitException($"no reply to case {i}"));
            }

            Assert.Equal("unauthorized", replies[0].Code);
            Assert.Equal("unauthorized", replies[2].Code);
            Assert.Equal("malformed", replies[3].Code); // two frames
            Assert.Equal(("unauthorized", (ulong?)2), (replies[4].Code, replies[4].ReferenceSequence));
            Assert.All(replies.Skip(5), r => Assert.Equal("unauthorized", r.Code));
            Assert.Equal(cases.Count, host.Counters.Malformed + host.Counters.Unauthorized);

            // After hello the same mistakes get their own codes, with ref_seq where the envelope had one.
            raw.Send(Loopback.RobotHello("raw"));
            Assert.Equal("welcome", (raw.Receive()?.Body as StatusMessage)?.State);
            raw.SendFrames([0x93, 1, 2, 3]);
            Assert.Equal("malformed", raw.ReceiveError()?.Code);
            raw.SendFrames(ProtocolCodec.Encode(new Envelope(50, "raw", 0, HeartbeatMessage.Instance, Version: 9)));
            var version = raw.ReceiveError();
            Assert.Equal(("unsupported_version", (ulong?)50), (version?.Code, version?.ReferenceSequence));
        }

        Assert.Empty(hostInbox);
        using var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void OversizedMessagesGetTooLargeAndTheConnectionStays()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o => (o.MaxMessageBytes, o.HelloMaxBytes) = (64 * 1024, 1024)), hostInbox);
        using var raw = new RawPeer(host.BoundEndpoint);

        // Before hello: anything above HelloMaxBytes is dropped without being copied or decoded.
        raw.SendFrames(new byte[4096]);
        var early = raw.ReceiveError();
        Assert.Equal("too_large", early?.Code);
        Assert.Contains("before hello", early!.Message);
        Assert.Equal(1, host.Counters.Oversized);

        raw.Send(Loopback.RobotHello("raw"));
        Assert.Equal("welcome", (raw.Receive()?.Body as StatusMessage)?.State);
        var big = new ObservationMessage(0, 1, NdArray.FromFloats(new float[20_000], 20_000), new Dictionary<string, NdArray>());
        raw.Send(big);
        Assert.Equal("too_large", raw.ReceiveError()?.Code);
        // Same connection, still welcome: the next observation arrives.
        raw.Send(Observation(2));
        Assert.True(Loopback.WaitFor(() => hostInbox.Any(m => m.Envelope.Body is ObservationMessage { Step: 2 })));
        Assert.DoesNotContain(hostInbox, m => m.Envelope.Body is ObservationMessage { Step: 1 });
    }

    [Fact]
    public void MessagesWhoseSeqDoesNotIncreaseAreRefusedAndNotDelivered()
    {
        var hostInbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(), hostInbox);
        using var raw = new RawPeer(host.BoundEndpoint);
        raw.Send(Loopback.RobotHello("raw"), sequence: 10);
        var welcome = raw.Receive();
        Assert.Equal("welcome", (welcome?.Body as StatusMessage)?.State);
        Assert.Equal(1UL, welcome!.Sequence); // the host counts per connection, from 1

        raw.Send(Observation(1), sequence: 11);
        raw.Send(Observation(2), sequence: 11);
        raw.Send(Observation(3), sequence: 5);
        var first = raw.ReceiveError();
        var second = raw.ReceiveError();
        Assert.Equal(("invalid_value", (ulong?)11), (first?.Code, first?.ReferenceSequence));
        Assert.Equal(("invalid_value", (ulong?)5), (second?.Code, second?.ReferenceSequence));
        Assert.True(Loopback.WaitFor(() => hostInbox.Count == 1));
        Thread.Sleep(100);
        Assert.Equal(1, Assert.IsType<ObservationMessage>(Assert.Single(hostInbox).Envelope.Body).Step);
    }

    [Fact]
    public void RetransmittedHelloKeepsTheSessionAndADifferentHelloStartsANewOne()
    {
        using var host = Loopback.StartHost(Loopback.HostOptions(), new ConcurrentQueue<InboundMessage>());
        var joined = new ConcurrentQueue<PeerInfo>();
        var lost = new ConcurrentQueue<PeerInfo>();
        host.PeerJoined += joined.Enqueue;
        host.PeerLost += lost.Enqueue;
        using var raw = new RawPeer(host.BoundEndpoint);
        raw.Send(Loopback.RobotHello("raw"));
        raw.Send(Loopback.RobotHello("raw"));
        Assert.NotNull(raw.Receive());
        Assert.NotNull(raw.Receive()); // welcomed twice
        Assert.Single(joined);
        Assert.Empty(lost);

        raw.Send(Loopback.RobotHello("renamed"));
        Assert.NotNull(raw.Receive());
        Assert.True(Loopback.WaitFor(() => joined.Count == 2));
        Assert.Single(lost);
        Assert.Equal("renamed", Assert.Single(host.Peers).Hello.Name);
    }

    [Theory]
    [InlineData("tcp://[::1]:0")]
    [InlineData("tcp://[::ffff:127.0.0.1]:0")]
    public void Ipv6LoopbackBindsPassValidationAndServe(string bind)
    {
        var options = Loopback.HostOptions(o => o.Bind = bind);
        Assert.True(new HostEndpointOptionsValidator().Validate(null, options).Succeeded);
        using var host = Loopback.StartHost(options, new ConcurrentQueue<InboundMessage>());
        Assert.StartsWith("tcp://[", host.BoundEndpoint);
        using var client = Loopback.StartClient(Loopback.ClientOptions(host.BoundEndpoint), Loopback.RobotHello());
        Assert.True(client.WaitWelcomed(TimeSpan.FromSeconds(5)));
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
        // The old listener closes on libzmq's I/O thread shortly after Dispose; retry the bind briefly.
        HostEndpoint? started = null;
        Assert.True(Loopback.WaitFor(() =>
        {
            try
            {
                started = Loopback.StartHost(options, inbox);
                return true;
            }
            catch (Native.ZmqException e) when (e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
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
