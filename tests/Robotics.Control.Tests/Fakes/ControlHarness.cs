using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Control.Metrics;
using Robotics.Control.Robot;
using Robotics.Control.Services;
using Robotics.Control.StateMachine;
using Robotics.Protocol.Messages;
using Robotics.Transport;

namespace Robotics.Control.Tests.Fakes;

/// <summary>A real control host (generic host, real ROUTER on 127.0.0.1:random) and real robot endpoints on their own threads.</summary>
public sealed class ControlHarness : IAsyncDisposable
{
    private readonly List<(RobotEndpoint Robot, CancellationTokenSource Cts, Thread Thread)> _robots = [];
    private readonly ConcurrentDictionary<RobotEndpoint, ConcurrentQueue<IMessageBody>> _toRobot = new();

    private ControlHarness(IHost host, TargetPolicy policy)
    {
        Host = host;
        Policy = policy;
    }

    public IHost Host { get; }
    public TargetPolicy Policy { get; }
    public ControlStateMachine State => Host.Services.GetRequiredService<ControlStateMachine>();
    public ControlMetrics Metrics => Host.Services.GetRequiredService<ControlMetrics>();
    public RobotLink Link => Host.Services.GetRequiredService<RobotLink>();
    public string Endpoint => Link.Endpoint.BoundEndpoint;

    public static IHost Build(TargetPolicy policy, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Transport:Bind"] = "tcp://127.0.0.1:0",
            ["Transport:HeartbeatIntervalMs"] = "50",
            ["Transport:PeerTimeoutMs"] = "3000",
            ["Control:RateHz"] = "50",
            // Generous: two shared cores under parallel builds can stall a thread for hundreds of milliseconds.
            ["Control:WatchdogTimeoutMs"] = "1000",
            ["Control:MetricsLogIntervalSeconds"] = "0",
            ["Control:StateLimit"] = "5",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            values[k] = v;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        // ROBOTICS_TEST_LOG=1 shows the host's log when a test needs explaining.
        if (Environment.GetEnvironmentVariable("ROBOTICS_TEST_LOG") == "1")
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug);
        else
            builder.Logging.ClearProviders();
        builder.Services.AddRoboticsControl(builder.Configuration, _ => policy);
        return builder.Build();
    }

    public static async Task<ControlHarness> StartAsync(TargetPolicy? policy = null, IDictionary<string, string?>? settings = null)
    {
        policy ??= new TargetPolicy();
        var host = Build(policy, settings);
        await host.StartAsync();
        return new ControlHarness(host, policy);
    }

    public RobotEndpoint StartRobot(IRobotArm arm, RobotEndpointOptions? options = null)
    {
        var robot = new RobotEndpoint(arm, new ClientEndpointOptions { Connect = Endpoint, Name = "robot", HeartbeatIntervalMs = 50, ReconnectIntervalMs = 50 },
            options ?? new RobotEndpointOptions { HoldTimeoutMs = 1000 }, NullLogger.Instance);
        var received = new ConcurrentQueue<IMessageBody>();
        // Subscribed before the robot starts, so nothing the host sends right after its hello is missed.
        robot.Client.MessageReceived += m => received.Enqueue(m.Envelope.Body);
        robot.Client.ErrorReceived += received.Enqueue;
        _toRobot[robot] = received;
        var cts = new CancellationTokenSource();
        var thread = new Thread(() => robot.Run(cts.Token)) { IsBackground = true, Name = "test-robot" };
        thread.Start();
        _robots.Add((robot, cts, thread));
        return robot;
    }

    /// <summary>Commands, chunks and errors the host sent to a robot started here, oldest first.</summary>
    public IMessageBody[] SentTo(RobotEndpoint robot) => [.. _toRobot[robot]];

    public ClientEndpoint StartOperator()
    {
        var op = new ClientEndpoint(new ClientEndpointOptions { Connect = Endpoint, Name = "operator", HeartbeatIntervalMs = 50 },
            new HelloMessage(PeerRole.Operator, "test-operator"), NullLogger.Instance);
        op.Start();
        if (!op.WaitWelcomed(TimeSpan.FromSeconds(5)))
            throw new TimeoutException("the host did not welcome the operator");
        return op;
    }

    /// <summary>Kills a robot the way a crashed process goes: its loop ends and its socket closes without a goodbye.</summary>
    public void KillRobot(RobotEndpoint robot)
    {
        var entry = _robots.Single(r => r.Robot == robot);
        entry.Cts.Cancel();
        entry.Thread.Join(5000);
        robot.Dispose();
        _robots.Remove(entry);
    }

    public static bool WaitFor(Func<bool> condition, int timeoutMs = 10_000)
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

    public async ValueTask DisposeAsync()
    {
        foreach (var (robot, cts, thread) in _robots.ToArray())
        {
            cts.Cancel();
            thread.Join(5000);
            robot.Dispose();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        catch (ObjectDisposedException)
        {
        }

        Host.Dispose();
    }
}
