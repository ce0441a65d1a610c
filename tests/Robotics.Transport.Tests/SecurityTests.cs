using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;
using Robotics.Transport.Security;
using Robotics.Transport.Tests.Fakes;

namespace Robotics.Transport.Tests;

public sealed class SecurityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("transport-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ObservationMessage Observation() => new(0, 1, NdArray.FromFloats([1f], 1), new Dictionary<string, NdArray>());

    [Fact]
    public void ClientWithoutAnAllowedKeyCannotSendCommandsOrReceiveActions()
    {
        var server = CurveKeyPair.Generate();
        var allowed = CurveKeyPair.Generate();
        var stranger = CurveKeyPair.Generate();
        var inbox = new ConcurrentQueue<InboundMessage>();
        using var host = Loopback.StartHost(Loopback.HostOptions(o =>
        {
            o.ServerSecretKey = server.SecretKey;
            o.AllowedClientKeys = [allowed.PublicKey];
        }), inbox);

        var strangerInbox = new ConcurrentQueue<InboundMessage>();
        var strangerErrors = new ConcurrentQueue<ErrorMessage>();
        var strangerOptions = Loopback.ClientOptions(host.BoundEndpoint, "stranger");
        strangerOptions.ServerPublicKey = server.PublicKey;
        strangerOptions.ClientKeys = stranger;
        using var intruder = new ClientEndpoint(strangerOptions, new HelloMessage(PeerRole.Operator, "stranger"), NullLogger.Instance);
        intruder.MessageReceived += strangerInbox.Enqueue;
        intruder.ErrorReceived += strangerErrors.Enqueue;
        intruder.Start();

        var goodOptions = Loopback.ClientOptions(host.BoundEndpoint, "good");
        goodOptions.ServerPublicKey = server.PublicKey;
        goodOptions.ClientKeys = allowed;
        using var good = Loopback.StartClient(goodOptions, Loopback.RobotHello("good"));
        Assert.True(good.WaitWelcomed(TimeSpan.FromSeconds(5)));

        intruder.Send(new CommandMessage(CommandKind.Stop));
        intruder.Send(Observation());
        Assert.True(Loopback.WaitFor(() => strangerErrors.Count >= 2));
        Assert.All(strangerErrors, e => Assert.Equal("unauthorized", e.Code));
        Assert.False(intruder.Welcomed);

        // The host has exactly one peer (the allowed one): actions can only be addressed to it.
        var peer = Assert.Single(host.Peers);
        Assert.Equal(allowed.PublicKey, peer.ClientKey);
        foreach (var p in host.Peers)
            host.Send(p.PeerId, new ActionChunkMessage(1, 0, 0, 0.02, NdArray.FromFloats([0.5f, 0.5f], 1, 2)));
        Thread.Sleep(200);
        Assert.Empty(strangerInbox);
        Assert.DoesNotContain(inbox, m => m.Envelope.Body is CommandMessage);
        Assert.True(host.Counters.Unauthorized >= 2);
    }

    [Fact]
    public void ClientThatClaimsAnAllowedKeyWithoutItsSecretIsRefused()
    {
        var server = CurveKeyPair.Generate();
        var allowed = CurveKeyPair.Generate();
        var attacker = CurveKeyPair.Generate();
        using var host = Loopback.StartHost(Loopback.HostOptions(o =>
        {
            o.ServerSecretKey = server.SecretKey;
            o.AllowedClientKeys = [allowed.PublicKey];
        }), new ConcurrentQueue<InboundMessage>());
        var options = Loopback.ClientOptions(host.BoundEndpoint, "spoof");
        options.ServerPublicKey = server.PublicKey;
        options.ClientKeys = attacker;
        // Claims the allowed public key in its hello, but can only prove possession of its own secret.
        using var spoof = Loopback.StartClient(options, new HelloMessage(PeerRole.Operator, "spoof"));
        var forged = new HelloMessage(PeerRole.Operator, "spoof", ClientKey: allowed.PublicKey, Proof: KeyProof.Create(attacker, server.PublicKey));
        spoof.Send(forged);
        Thread.Sleep(500);
        Assert.False(spoof.Welcomed);
        Assert.Empty(host.Peers);
    }

    [Fact]
    public void ClientWithTheWrongServerKeyNeverGetsThrough()
    {
        var server = CurveKeyPair.Generate();
        var client = CurveKeyPair.Generate();
        using var host = Loopback.StartHost(Loopback.HostOptions(o =>
        {
            o.ServerSecretKey = server.SecretKey;
            o.AllowedClientKeys = [client.PublicKey];
        }), new ConcurrentQueue<InboundMessage>());
        var options = Loopback.ClientOptions(host.BoundEndpoint);
        options.ServerPublicKey = CurveKeyPair.Generate().PublicKey;
        options.ClientKeys = client;
        using var endpoint = Loopback.StartClient(options, Loopback.RobotHello());
        Assert.False(endpoint.WaitWelcomed(TimeSpan.FromMilliseconds(700)));
        Assert.Equal(0, host.Counters.Received);
    }

    [Fact]
    public void KeyFilesInteroperateWithPyzmqCertificates()
    {
        var ours = CurveKeyPair.Generate();
        var (publicPath, secretPath) = CurveKeyFile.Write(_dir, "ours", ours);
        Assert.Equal($"{ours.PublicKey} -", Python.Run("zmq_certs.py", "load", publicPath));
        Assert.Equal($"{ours.PublicKey} {ours.SecretKey}", Python.Run("zmq_certs.py", "load", secretPath));

        string theirPublic = Python.Run("zmq_certs.py", "create", _dir, "theirs");
        var theirs = CurveKeyFile.Read(Path.Combine(_dir, "theirs.key_secret"));
        Assert.Equal(theirPublic, theirs.PublicKey);
        Assert.Equal(theirPublic, CurveKeyFile.Read(Path.Combine(_dir, "theirs.key")).PublicKey);

        // The hello proof as Python computes it (cryptography's X25519 + hmac) equals ours and verifies on the server.
        var server = CurveKeyPair.Generate();
        string pythonProof = Python.Run("zmq_certs.py", "proof", Path.Combine(_dir, "theirs.key_secret"), server.PublicKey);
        Assert.Equal(Convert.ToHexString(KeyProof.Create(theirs, server.PublicKey)), pythonProof, ignoreCase: true);
        Assert.True(KeyProof.Verify(server, theirs.PublicKey, Convert.FromHexString(pythonProof)));
        Assert.False(KeyProof.Verify(server, ours.PublicKey, Convert.FromHexString(pythonProof)));
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
