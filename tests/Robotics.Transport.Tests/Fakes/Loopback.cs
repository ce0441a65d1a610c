using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Protocol.Messages;

namespace Robotics.Transport.Tests.Fakes;

/// <summary>Real sockets on 127.0.0.1 with OS-chosen ports, and small waiting helpers with hard time bounds.</summary>
public static class Loopback
{
    public static HostEndpointOptions HostOptions(Action<HostEndpointOptions>? configure = null)
    {
        var o = new HostEndpointOptions { Bind = "tcp://127.0.0.1:0", HeartbeatIntervalMs = 50, PeerTimeoutMs = 400 };
        configure?.Invoke(o);
        return o;
    }

    public static ClientEndpointOptions ClientOptions(string endpoint, string name = "robot") =>
        new() { Connect = endpoint, Name = name, HeartbeatIntervalMs = 50, ReconnectIntervalMs = 50 };

    public static HelloMessage RobotHello(string name = "robot") => new(PeerRole.Robot, name, 2, 3, ActionMode.Delta, []);

    public static HostEndpoint StartHost(HostEndpointOptions options, ConcurrentQueue<InboundMessage> inbox)
    {
        var host = new HostEndpoint(options, NullLogger.Instance);
        host.MessageReceived += inbox.Enqueue;
        host.Start();
        return host;
    }

    public static ClientEndpoint StartClient(ClientEndpointOptions options, HelloMessage hello, ConcurrentQueue<InboundMessage>? inbox = null)
    {
        var client = new ClientEndpoint(options, hello, NullLogger.Instance);
        if (inbox is not null)
            client.MessageReceived += inbox.Enqueue;
        client.Start();
        return client;
    }

    public static bool WaitFor(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
                return true;
            Thread.Sleep(5);
        }

        return condition();
    }
}
