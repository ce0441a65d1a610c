using Robotics.Control.Robot;
using Robotics.Control.StateMachine;
using Robotics.Control.Tests.Fakes;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests;

/// <summary>Latched stops and auto start across reconnects, with the real host and robots over loopback.</summary>
public class HostBehaviourTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" };
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task OperatorStopStaysLatchedAcrossARobotReconnectUntilResume()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, Settings());
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        using var op = h.StartOperator();
        Assert.True(ControlHarness.WaitFor(() => first.StepsExecuted > 5));
        op.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped));
        int transitions = h.State.History.Count;

        h.KillRobot(first);
        var second = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => h.SentTo(second).OfType<CommandMessage>().Any(c => c.Command == CommandKind.Stop), 5000),
            "the reconnected robot was not told to stop");
        Thread.Sleep(1000);
        Assert.Equal(ControlState.Stopped, h.State.State);
        Assert.Equal(transitions, h.State.History.Count);
        Assert.Equal(0, second.StepsExecuted);
        Assert.Empty(h.SentTo(second).OfType<ActionChunkMessage>());
        Assert.True(second.Holding);

        op.Send(new CommandMessage(CommandKind.Resume));
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 5), $"state {h.State.State}");
        Assert.Equal(ControlState.Running, h.State.State);
        Assert.False(second.Holding);
    }

    [Fact]
    public async Task RobotRejoiningWhileRunningIsServedAgainWithoutAWatchdogStop()
    {
        // A long watchdog: the rejoin, not a slow machine, is what is being tested.
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, Settings(("Control:WatchdogTimeoutMs", "3000")));
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => first.StepsExecuted > 10));
        h.KillRobot(first);
        var second = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 10), $"rejoined robot got no actions; state {h.State.State}");
        Assert.Equal(ControlState.Running, h.State.State);
        Assert.Equal(0, h.Metrics.WatchdogStops);
        Assert.Contains(h.State.History, t => t is { From: ControlState.Running, To: ControlState.Idle } && t.Reason == "robot reconnected");
        Assert.DoesNotContain(h.State.History, t => t.To is ControlState.Stopping or ControlState.Stopped);
    }

    [Fact]
    public async Task WithoutAutoStartARobotRejoiningWhileRunningLeavesTheHostIdleUntilStart()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true },
            Settings(("Control:WatchdogTimeoutMs", "3000"), ("Control:AutoStart", "false")));
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        using var op = h.StartOperator();
        Thread.Sleep(300);
        Assert.Equal(ControlState.Idle, h.State.State);
        Assert.Equal(0, first.StepsExecuted);
        op.Send(new CommandMessage(CommandKind.Start));
        Assert.True(ControlHarness.WaitFor(() => first.StepsExecuted > 10), $"state {h.State.State}");

        h.KillRobot(first);
        var second = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => h.State.History.Any(t => t is { From: ControlState.Running, To: ControlState.Idle })), $"state {h.State.State}");
        Thread.Sleep(500);
        Assert.Equal(ControlState.Idle, h.State.State);
        Assert.Equal(0, second.StepsExecuted);
        Assert.Equal(0, h.Metrics.WatchdogStops);

        op.Send(new CommandMessage(CommandKind.Start));
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 5), $"state {h.State.State}");
        Assert.Equal(ControlState.Running, h.State.State);
    }
}
