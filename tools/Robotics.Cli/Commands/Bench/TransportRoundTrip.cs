using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Protocol;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Transport;
using Robotics.Transport.Diagnostics;
using Robotics.Transport.Security;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// Round trips over tcp loopback with the same two payloads (an encoded action chunk out, an encoded observation
/// back): once on bare libzmq sockets (poll, no codec), once through the protocol stack (HostEndpoint /
/// ClientEndpoint: transport threads, encode and decode both ways, peer checks), each plaintext or secured (CURVE).
/// </summary>
public static class TransportRoundTrip
{
    public static List<long> Bare(byte[] request, byte[] reply, int count, bool secured, CancellationToken ct) =>
        BareRoundTrip.Measure(request, reply, count, secured, ct);

    public static List<long> Protocol(ActionChunkMessage request, ObservationMessage reply, int count, bool secured, CancellationToken ct)
    {
        var serverKeys = secured ? CurveKeyPair.Generate() : null;
        var robotKeys = secured ? CurveKeyPair.Generate() : null;
        var hostOptions = new HostEndpointOptions { Bind = "tcp://127.0.0.1:0", ServerSecretKey = serverKeys?.SecretKey };
        if (robotKeys is not null)
            hostOptions.RobotKeys.Add(robotKeys.PublicKey);
        using var host = new HostEndpoint(hostOptions, NullLogger.Instance);
        using var arrived = new SemaphoreSlim(0);
        host.MessageReceived += m =>
        {
            if (m.Envelope.Body is ObservationMessage)
                arrived.Release();
        };
        host.Start();
        using var client = new ClientEndpoint(new ClientEndpointOptions { Connect = host.BoundEndpoint, Name = "bench-robot", ServerPublicKey = serverKeys?.PublicKey, ClientKeys = robotKeys },
            new HelloMessage(PeerRole.Robot, "bench-robot", request.Actions.Shape[1], reply.State.Shape[0], ActionMode.Delta, []), NullLogger.Instance);
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
