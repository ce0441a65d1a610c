using System.Collections.Concurrent;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;
using Robotics.Transport.Security;
using Robotics.Transport.Tests.Fakes;

namespace Robotics.Transport.Tests;

/// <summary>
/// Two connections flood the host with multi-megabyte frames and never say hello, while a legitimate robot keeps
/// exchanging observations and chunks. The rate itself is measured by <c>robotics bench flood</c>; here: the robot
/// keeps being served, and not one flood frame is copied, decoded or delivered.
/// </summary>
[Collection(FloodCollection.Name)]
public class FloodTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LegitimateRobotKeepsBeingServedWhileTwoConnectionsFloodBeforeHello(bool secured)
    {
        var server = CurveKeyPair.Generate();
        var robotKeys = CurveKeyPair.Generate();
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o =>
        {
            o.PeerTimeoutMs = 3000;
            if (secured)
            {
                o.ServerSecretKey = server.SecretKey;
                o.RobotKeys = [robotKeys.PublicKey];
            }
        }), inbox);
        // The host answers every observation with a chunk, like the control loop does.
        host.MessageReceived += m =>
        {
            if (m.Envelope.Body is ObservationMessage obs)
                host.Send(m.PeerId, new ActionChunkMessage(obs.Step, 0, obs.Step, 0.02, NdArray.FromFloats([0f, 0f], 1, 2), (long)m.Envelope.Sequence));
        };

        var options = Loopback.ClientOptions(host.BoundEndpoint);
        if (secured)
            (options.ServerPublicKey, options.ClientKeys) = (server.PublicKey, robotKeys);
        var chunks = new BlockingCollection<ActionChunkMessage>();
        using var robot = new ClientEndpoint(options, Loopback.RobotHello(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        robot.MessageReceived += m =>
        {
            if (m.Envelope.Body is ActionChunkMessage c)
                chunks.Add(c);
        };
        robot.Start();
        Assert.True(robot.WaitWelcomed(TimeSpan.FromSeconds(5)));

        byte[] frame = new byte[4 * 1024 * 1024];
        new Random(3).NextBytes(frame);
        using var stop = new CancellationTokenSource();
        long flooded = 0;
        var flooders = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            // Secured host: one attacker has a key on no allowlist, the other speaks plaintext.
            using var attacker = secured && i == 0 ? new RawPeer(host.BoundEndpoint, CurveKeyPair.Generate(), server.PublicKey) : new RawPeer(host.BoundEndpoint);
            while (!stop.IsCancellationRequested)
            {
                if (attacker.SendFrames(frame))
                    Interlocked.Increment(ref flooded);
                else
                    Thread.Sleep(1);
            }
        }) { IsBackground = true }).ToArray();
        foreach (var t in flooders)
            t.Start();

        // 100 round trips, one at a time, while the flood runs.
        int served = 0;
        for (long step = 0; step < 100; step++)
        {
            robot.Send(new ObservationMessage(0, step, NdArray.FromFloats([0f, 0f, 0f], 3), new Dictionary<string, NdArray>()));
            if (chunks.TryTake(out var chunk, TimeSpan.FromSeconds(2)) && chunk.FirstStep == step)
                served++;
        }

        stop.Cancel();
        foreach (var t in flooders)
            t.Join();
        Assert.True(Interlocked.Read(ref flooded) > 0, "the attackers sent nothing");
        Assert.Equal(100, served);
        // Only the robot's hello and observations were ever delivered; the flood was dropped unread (plaintext) or
        // never got past the handshake (secured).
        Assert.All(inbox, m => Assert.IsType<ObservationMessage>(m.Envelope.Body));
        Assert.Equal(100, inbox.Count);
        if (secured)
            Assert.Equal(0, host.Counters.Oversized);
        else
            Assert.True(host.Counters.Oversized > 0);
        Assert.Single(host.Peers);
    }
}

/// <summary>
/// The flood saturates both cores and the loopback; run alone so it does not starve the other endpoint tests'
/// timeouts (it did once in CI: a reply in another test took over 3 s).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodCollection
{
    public const string Name = "flood";
}
