using Robotics.Control.Robot;
using Robotics.Control.StateMachine;
using Robotics.Control.Tests.Fakes;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests;

/// <summary>Latched stops, auto start across reconnects and backtracking, with the real host and robots over loopback.</summary>
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
    public async Task StartWithNoRobotConnectedIsRefusedAndTheHostStaysIdle()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy(), Settings(("Control:AutoStart", "false")));
        using var op = h.StartOperator();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<ErrorMessage>();
        op.ErrorReceived += errors.Enqueue;
        op.Send(new CommandMessage(CommandKind.Start));
        Assert.True(ControlHarness.WaitFor(() => !errors.IsEmpty), "no answer");
        Assert.Equal(("bad_state", "cannot start: no robot is connected"), (errors.First().Code, errors.First().Message));
        Assert.Equal(ControlState.Idle, h.State.State);
    }

    [Fact]
    public async Task WithoutAutoStartARobotRejoiningWhileRunningLeavesTheHostIdleUntilStart()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true },
            Settings(("Control:WatchdogTimeoutMs", "3000"), ("Control:AutoStart", "false")));
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        using var op = h.StartOperator();
        Assert.True(ControlHarness.WaitFor(() => h.Link.Robot is not null), "the robot did not join");
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
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 5),
            $"state {h.State.State}; history {string.Join(" | ", h.State.History.Select(t => $"{t.From}->{t.To}: {t.Reason}"))}; to robot: {string.Join(", ", h.SentTo(second).Select(b => b.GetType().Name))}");
        Assert.Equal(ControlState.Running, h.State.State);
    }

    [Fact]
    public async Task BacktrackBringsTheReferenceRobotBackWhileItResendsObservations()
    {
        const int steps = 10;
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, Settings());
        var arm = new PointArm(maxSteps: 100_000);
        // Re-sent observations every 10 ms (half the clock's period); mostly they replace one another unread at the host.
        var robot = h.StartRobot(arm, new RobotEndpointOptions { HoldTimeoutMs = 1000, ResendIntervalMs = 10 });
        using var op = h.StartOperator();
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 40));
        // Under load the robot's thread may not have re-sent yet when 40 steps are done: wait for it rather than sample once.
        Assert.True(ControlHarness.WaitFor(() => robot.Client.Counters.Sent > robot.StepsExecuted + 5), "the robot re-sent no observations");

        op.Send(new CommandMessage(CommandKind.Backtrack, Steps: steps));
        AssertBacktrackedAndHolding(h);
        Assert.True(robot.Holding);
        AssertRetraced(arm, steps);
    }

    [Theory]
    [InlineData(ActionMode.Delta, 1)]
    [InlineData(ActionMode.Absolute, 1)]
    [InlineData(ActionMode.Delta, 3)]
    [InlineData(ActionMode.Absolute, 3)]
    public async Task BacktrackRetracesEachExecutedStepOnceWhenTheHostSeesEveryStepTwice(ActionMode mode, int rowsPerChunk)
    {
        const int steps = 10;
        var policy = new TargetPolicy { Constant = true, Absolute = mode == ActionMode.Absolute };
        await using var h = await ControlHarness.StartAsync(policy, Settings());
        var arm = new PointArm(maxSteps: 100_000, mode);
        using var robot = new ScriptedRobot(h.Endpoint, arm, rowsPerChunk);
        using var op = h.StartOperator();
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 30), $"state {h.State.State}, {robot.StepsExecuted} steps");

        op.Send(new CommandMessage(CommandKind.Backtrack, Steps: steps));
        AssertBacktrackedAndHolding(h);
        Assert.True(robot.Holding);
        Assert.True(robot.Duplicates > steps);
        AssertRetraced(arm, steps);
    }

    private static void AssertBacktrackedAndHolding(ControlHarness h)
    {
        Assert.True(ControlHarness.WaitFor(() => h.State.History.Any(t => t.From == ControlState.Backtracking && t.To is ControlState.Stopping or ControlState.Stopped)),
            $"state {h.State.State}");
        Assert.Contains("backtrack complete", h.State.LastReason);
        Thread.Sleep(200);
        Assert.Equal(ControlState.Stopped, h.State.State);
    }

    /// <summary>Forward poses P0..Pn, then the retrace P(n-1)..P(n-steps): the last 2·steps+1 poses mirror around Pn.</summary>
    private static void AssertRetraced(PointArm arm, int steps)
    {
        var path = arm.TrajectorySnapshot();
        Assert.Equal(arm.Position, path[^1]);
        Assert.True(path.Length > 2 * steps + 1, $"only {path.Length} poses");
        for (int j = 1; j <= steps; j++)
        {
            var back = path[^(steps + 1 - j)];
            var earlier = path[^(steps + 1 + j)];
            Assert.True(MathF.Abs(back.X - earlier.X) < 1e-4f && MathF.Abs(back.Y - earlier.Y) < 1e-4f,
                $"retrace pose {j} is ({back.X}, {back.Y}), expected the pose {j} executed steps back ({earlier.X}, {earlier.Y})");
        }

        // The arm was moving before the backtrack, so the retrace really went somewhere.
        Assert.NotEqual(path[^(steps + 1)], path[^1]);
    }
}
