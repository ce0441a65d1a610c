using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Core.Arrays;
using Robotics.Protocol.Codec;
using Robotics.Protocol.Messages;
using Robotics.Protocol;
using Robotics.Transport.Security;
using Robotics.Transport.Tests.Fakes;

namespace Robotics.Transport.Tests;

/// <summary>
/// The attacks of issue #11, each against real sockets: downgrade to ZMTP/1.0 from either side, keys that are not
/// allowed, keys used in the wrong role, routing-id takeover, and keys that must be refused at start-up.
/// </summary>
public sealed class SecurityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("transport-keys-").FullName;
    private readonly CurveKeyPair _server = CurveKeyPair.Generate();
    private readonly CurveKeyPair _robot = CurveKeyPair.Generate();
    private readonly CurveKeyPair _operator = CurveKeyPair.Generate();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ObservationMessage Observation() => new(0, 1, NdArray.FromFloats([1f], 1), new Dictionary<string, NdArray>());

    private HostEndpoint SecuredHost(ConcurrentQueue<InboundMessage> inbox) => Loopback.StartHost(Loopback.HostOptions(o =>
    {
        o.ServerSecretKey = _server.SecretKey;
        o.RobotKeys = [_robot.PublicKey];
        o.OperatorKeys = [_operator.PublicKey];
    }), inbox);

    private ClientEndpointOptions Secured(string endpoint, CurveKeyPair keys, string name = "client", string? serverKey = null)
    {
        var options = Loopback.ClientOptions(endpoint, name);
        options.ServerPublicKey = serverKey ?? _server.PublicKey;
        options.ClientKeys = keys;
        return options;
    }

    [Fact]
    public void AllowedKeysAreWelcomedWithTheirRoleAndAuthenticatedKey()
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = SecuredHost(inbox);
        using var robot = Loopback.StartClient(Secured(host.BoundEndpoint, _robot, "robot"), Loopback.RobotHello());
        using var op = Loopback.StartClient(Secured(host.BoundEndpoint, _operator, "op"), new HelloMessage(PeerRole.Operator, "op"));
        Assert.True(robot.WaitWelcomed(TimeSpan.FromSeconds(5)));
        Assert.True(op.WaitWelcomed(TimeSpan.FromSeconds(5)));
        Assert.True(host.Secured);
        Assert.Equal(_robot.PublicKey, host.Peers.Single(p => p.Role == PeerRole.Robot).ClientKey);
        Assert.Equal(_operator.PublicKey, host.Peers.Single(p => p.Role == PeerRole.Operator).ClientKey);
        op.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(Loopback.WaitFor(() => inbox.Any(m => m.Envelope.Body is CommandMessage)));
    }

    [Fact]
    public void KeyNotOnAnAllowlistNeverCompletesTheHandshake()
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = SecuredHost(inbox);
        var strangerInbox = new ConcurrentQueue<InboundMessage>();
        using var stranger = Loopback.StartClient(Secured(host.BoundEndpoint, CurveKeyPair.Generate(), "stranger"), new HelloMessage(PeerRole.Operator, "stranger"), strangerInbox);
        stranger.Send(new CommandMessage(CommandKind.Stop));
        stranger.Send(Observation());
        // ZAP refuses the key during the handshake: not one frame of this client reaches the host's code.
        Assert.True(Loopback.WaitFor(() => host.Counters.Unauthorized >= 1));
        Thread.Sleep(300);
        Assert.False(stranger.Welcomed);
        Assert.Equal(0, host.Counters.Received);
        Assert.Empty(host.Peers);
        Assert.Empty(inbox);
        Assert.Empty(strangerInbox);
    }

    [Fact]
    public void KeysAreBoundToTheirRole()
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = SecuredHost(inbox);
        // The operator's key cannot take over as the robot, and the robot's key cannot act as an operator.
        using var fakeRobot = new RawPeer(host.BoundEndpoint, _operator, _server.PublicKey);
        fakeRobot.Send(Loopback.RobotHello("fake-robot"), sequence: 1);
        var refusal = fakeRobot.ReceiveError();
        Assert.Equal(("unauthorized", (ulong?)1), (refusal?.Code, refusal?.ReferenceSequence));
        Assert.Contains("allowed as operator, not as robot", refusal!.Message);

        using var fakeOperator = new RawPeer(host.BoundEndpoint, _robot, _server.PublicKey);
        fakeOperator.Send(new HelloMessage(PeerRole.Operator, "fake-op"));
        Assert.Equal("unauthorized", fakeOperator.ReceiveError()?.Code);
        fakeOperator.Send(new CommandMessage(CommandKind.Stop));
        Assert.Equal("unauthorized", fakeOperator.ReceiveError()?.Code);
        Assert.Empty(host.Peers);
        Assert.Empty(inbox);
    }

    [Fact]
    public async Task RobotRefusesAHostThatAnswersInZmtp10AndSendsItNothing()
    {
        // The fake host offers ZMTP/1.0 (no security mechanism) and an action chunk in plaintext.
        byte[] chunk = ProtocolCodec.Encode(new Envelope(1, "fake-host", 0, new ActionChunkMessage(1, 0, 0, 0.02, NdArray.FromFloats([9f, 9f], 1, 2))));
        var (endpoint, received) = Zmtp10Peer.FakeHost(chunk, listenMs: 1500);
        var inbox = new ConcurrentQueue<InboundMessage>();
        using (var robot = Loopback.StartClient(Secured(endpoint, _robot, "robot"), Loopback.RobotHello(), inbox))
        {
            robot.Send(Observation());
            Thread.Sleep(1000);
            Assert.False(robot.Welcomed);
            Assert.Empty(inbox);
            Assert.Equal(0, robot.Counters.Received);
        }

        byte[] bytes = await received;
        // All the robot ever sent: ZMTP/3 greeting signatures (10 bytes each, one per reconnect attempt), never a message.
        Assert.NotEmpty(bytes);
        Assert.Equal(0, bytes.Length % 10);
        for (int i = 0; i < bytes.Length; i += 10)
            Assert.Equal(new byte[] { 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f }, bytes[i..(i + 10)]);
        Assert.DoesNotContain("hello", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void RobotWithTheWrongServerKeyNeverGetsThrough()
    {
        using var host = SecuredHost(new ConcurrentQueue<InboundMessage>());
        // An impostor host would hold some other key: the robot's handshake fails, nothing is delivered either way.
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var robot = Loopback.StartClient(Secured(host.BoundEndpoint, _robot, "robot", CurveKeyPair.Generate().PublicKey), Loopback.RobotHello(), inbox);
        Assert.False(robot.WaitWelcomed(TimeSpan.FromMilliseconds(700)));
        Assert.Equal(0, host.Counters.Received);
        Assert.Empty(inbox);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HostNeverAnswersAZmtp10Client(bool secured)
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = secured ? SecuredHost(inbox) : Loopback.StartHost(Loopback.HostOptions(), inbox);
        byte[] hello = ProtocolCodec.Encode(new Envelope(1, "old", 0, Loopback.RobotHello("old")));
        Assert.True(hello.Length < 250); // one-byte ZMTP/1.0 length
        byte[] answer = Zmtp10Peer.Client(host.BoundEndpoint, hello, listenMs: 700);
        // At most libzmq's own greeting before it closes the connection: no message, no welcome, nothing decoded.
        Assert.True(answer.Length <= 64, $"{answer.Length} bytes came back");
        Assert.DoesNotContain("welcome", Encoding.ASCII.GetString(answer));
        Assert.Equal(0, host.Counters.Received);
        Assert.Empty(host.Peers);
    }

    [Fact]
    public void NewConnectionReusingARoutingIdStartsUnauthenticated()
    {
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o => o.PeerTimeoutMs = 3000), inbox);
        var lost = new ConcurrentQueue<PeerInfo>();
        host.PeerLost += lost.Enqueue;
        using (var op = new RawPeer(host.BoundEndpoint, routingId: "op-1"))
        {
            op.Send(new HelloMessage(PeerRole.Operator, "op"));
            Assert.Equal("welcome", (op.Receive()?.Body as StatusMessage)?.State);
        }

        // Same routing id, new connection, no hello: the host must not take it for the operator that left.
        using var thief = new RawPeer(host.BoundEndpoint, routingId: "op-1");
        thief.Send(new CommandMessage(CommandKind.Stop), sequence: 99);
        var refusal = thief.ReceiveError();
        Assert.Equal(("unauthorized", (ulong?)99), (refusal?.Code, refusal?.ReferenceSequence));
        Assert.DoesNotContain(inbox, m => m.Envelope.Body is CommandMessage);
        Assert.Single(lost); // the old session ended when its routing id came back on another connection
        Assert.Empty(host.Peers);
    }

    [Fact]
    public void KeyFilesInteroperateWithPyzmqCertificates()
    {
        var ours = CurveKeyPair.Generate();
        var (publicPath, secretPath) = CurveKeyFile.Write(_dir, "ours", ours);
        Assert.Equal($"{ours.PublicKey} -", Python.Run("zmq_certs.py", "load", publicPath));
        Assert.Equal($"{ours.PublicKey} {ours.SecretKey}", Python.Run("zmq_certs.py", "load", secretPath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretPath));

        string theirPublic = Python.Run("zmq_certs.py", "create", _dir, "theirs");
        var theirs = CurveKeyFile.Read(Path.Combine(_dir, "theirs.key_secret"));
        Assert.Equal(theirPublic, theirs.PublicKey);
        Assert.Equal(theirPublic, CurveKeyFile.Read(Path.Combine(_dir, "theirs.key")).PublicKey);

        // Our Z85 codec against pyzmq's, both ways.
        byte[] raw = CurveKeys.Decode(theirPublic);
        Assert.Equal(theirPublic, Python.Run("zmq_certs.py", "z85", Convert.ToHexString(raw)));
        Assert.Equal(theirPublic, CurveKeys.Encode(raw));
    }

    [Fact]
    public void LowOrderAndMalformedKeysAreRefusedAtStartUp()
    {
        string zeros = CurveKeys.Encode(new byte[32]);
        byte[] one = new byte[32];
        one[0] = 1;
        var options = new HostEndpointOptions
        {
            ServerSecretKey = _server.SecretKey,
            RobotKeys = [zeros, _robot.PublicKey],
            OperatorKeys = [CurveKeys.Encode(one), "not-a-key", _robot.PublicKey],
        };
        string failure = new HostEndpointOptionsValidator().Validate(null, options).FailureMessage ?? "";
        Assert.Contains($"RobotKeys[0] '{zeros}' is a low-order", failure);
        Assert.Contains("OperatorKeys[0]", failure);
        Assert.Contains("OperatorKeys[1] 'not-a-key'", failure);
        Assert.Contains("on both RobotKeys and OperatorKeys", failure);
        Assert.DoesNotContain("RobotKeys[1]", failure);
        Assert.False(CurveKeys.IsLowOrder(CurveKeys.Decode(_robot.PublicKey)));
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:5555", false, "not a loopback address")]
    [InlineData("tcp://192.168.1.4:5555", false, "not a loopback address")]
    [InlineData("tcp://192.168.1.4:5555", true, "needs CurveZMQ")]
    [InlineData("udp://127.0.0.1:5", false, "must look like")]
    public void UnsafeBindingsAreRefusedAtStartUp(string bind, bool allowNonLoopback, string expected)
    {
        var result = new HostEndpointOptionsValidator().Validate(null, new HostEndpointOptions { Bind = bind, AllowNonLoopback = allowNonLoopback });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.True(new HostEndpointOptionsValidator().Validate(null, new HostEndpointOptions()).Succeeded);
    }

    [Fact]
    public void CurveWithoutAnAllowlistIsRefusedAtStartUp()
    {
        var result = new HostEndpointOptionsValidator().Validate(null, new HostEndpointOptions { ServerSecretKey = CurveKeyPair.Generate().SecretKey });
        Assert.Contains("no client is allowed", result.FailureMessage);
    }
}
