using Robotics.Control.Robot;
using Robotics.Control.StateMachine;
using Robotics.Control.Tests.Fakes;
using Robotics.Protocol.Messages;
using Robotics.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Robotics.Control.Tests;

/// <summary>The control host and robot endpoints as separate parties over real ZeroMQ sockets on loopback.</summary>
public class ControlLoopTests
{
    [Fact]
    public async Task EpisodesOnSeveralTasksRunToSuccessAndAreRecorded()
    {
        await using var h = await ControlHarness.StartAsync();
        var arm = new PointArm();
        var robot = h.StartRobot(arm, new RobotEndpointOptions { Tasks = [0, 1, 2], EpisodesPerTask = 1, HoldTimeoutMs = 1000 });
        Assert.True(ControlHarness.WaitFor(() => h.Metrics.EpisodeCount >= 3, 20_000), $"episodes: {h.Metrics.EpisodeCount}, state {h.State.State}");
        var summary = h.Metrics.Summarize(50, h.State.State.ToString());
        Assert.Equal([0, 1, 2], summary.Episodes.Select(e => e.TaskIndex ?? -1));
        Assert.All(summary.Episodes, e => Assert.True(e.Success, $"episode {e.Episode} failed after {e.Steps} steps"));
        Assert.All(summary.Episodes, e => Assert.InRange(e.Steps, 3, arm.MaxSteps - 1));
        Assert.True(summary.Latency.Count >= summary.Episodes.Sum(e => e.Steps));
        Assert.True(summary.Latency.P50 > 0);
        Assert.True(h.Policy.Resets >= 3, "the policy is reset at each episode");
        Assert.Equal(0, robot.HoldsByTimeout);
        Assert.Contains(h.State.History, t => t.To == ControlState.Running);
    }

    [Fact]
    public async Task EveryExecutedStepReachesThePolicyOnceAndInOrderBetweenReplans()
    {
        var policy = new TargetPolicy(horizon: 8, executed: 4) { Constant = true };
        await using var h = await ControlHarness.StartAsync(policy, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        h.StartRobot(new PointArm(maxSteps: 40), new RobotEndpointOptions { Tasks = [0], EpisodesPerTask = 1, HoldTimeoutMs = 1000 });
        Assert.True(ControlHarness.WaitFor(() => h.Metrics.EpisodeCount >= 1, 20_000), $"episodes: {h.Metrics.EpisodeCount}, state {h.State.State}");
        long?[] seen, predicted;
        lock (policy.SeenSteps)
        {
            seen = [.. policy.SeenSteps];
            predicted = [.. policy.PredictedSteps];
        }

        Assert.True(predicted.Length >= 5, $"only {predicted.Length} predictions in a 40-step episode");
        // Steps after the last prediction wait for the next one; everything up to it arrived exactly once, in order.
        long last = predicted.Max()!.Value;
        Assert.Equal(Enumerable.Range(0, (int)last + 1).Select(i => (long?)i), seen);
        Assert.True(predicted.Zip(predicted.Skip(1)).All(p => p.Second - p.First >= 4), $"replans closer than ExecutedSteps: {string.Join(", ", predicted)}");
    }

    [Fact]
    public async Task KilledRobotTripsTheWatchdogAndTheStopHoldsARestartedRobotUntilAnOperatorResumes()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => first.StepsExecuted > 10));
        h.KillRobot(first);
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped, 5000), $"state {h.State.State}");
        Assert.Contains("watchdog", h.State.LastReason);
        Assert.Equal(1, h.Metrics.WatchdogStops);

        var second = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => second.Holding), "the restarted robot was not told to stop");
        Thread.Sleep(500);
        Assert.Equal(0, second.StepsExecuted);
        Assert.Equal(ControlState.Stopped, h.State.State);

        using var op = h.StartOperator();
        op.Send(new CommandMessage(CommandKind.Resume));
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 10), $"resumed robot got no actions; state {h.State.State}");
        Assert.Equal(ControlState.Running, h.State.State);
    }

    [Fact]
    public async Task WithResumeAfterWatchdogARestartedRobotIsControlledAgainAfterAWatchdogStop()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?>
        {
            ["Control:StateLimit"] = "1000",
            ["Control:ResumeAfterWatchdog"] = "true",
        });
        var first = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => first.StepsExecuted > 10));
        h.KillRobot(first);
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped, 5000), $"state {h.State.State}");
        Assert.Contains("watchdog", h.State.LastReason);

        var second = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => second.StepsExecuted > 10), $"restarted robot got no actions; state {h.State.State}");
        Assert.Equal(ControlState.Running, h.State.State);
        Assert.Contains(h.State.History, t => t.From == ControlState.Stopped && t.To == ControlState.Running);
        Assert.Equal(1, h.Metrics.WatchdogStops);
    }

    [Fact]
    public async Task OperatorStopHoldsTheRobotAndResumeContinues()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var robot = h.StartRobot(new PointArm(maxSteps: 100_000));
        using var op = Operator(h.Endpoint);
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 5));

        op.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(ControlHarness.WaitFor(() => robot.Holding && h.State.State == ControlState.Stopped));
        long stepsAtStop = robot.StepsExecuted;
        Thread.Sleep(300);
        Assert.InRange(robot.StepsExecuted, stepsAtStop, stepsAtStop + 1); // at most the one already in flight
        Assert.Equal(0, robot.HoldsByTimeout); // held because it was told to

        op.Send(new CommandMessage(CommandKind.Resume));
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > stepsAtStop + 10), $"state {h.State.State}");
        Assert.False(robot.Holding);
    }

    [Fact]
    public async Task BacktrackRetracesDeltaActionsToTheEarlierPoseThenHolds()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var arm = new PointArm(maxSteps: 100_000);
        var robot = h.StartRobot(arm);
        using var op = Operator(h.Endpoint);
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 12));
        op.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped && robot.Holding));
        Thread.Sleep(100);
        var trajectory = arm.Trajectory.ToArray();
        var before = trajectory[^1];
        var target = trajectory[^6];

        op.Send(new CommandMessage(CommandKind.Backtrack, Steps: 5));
        Assert.True(ControlHarness.WaitFor(() => h.State.History.Any(t => t.From == ControlState.Backtracking && t.To is ControlState.Stopping or ControlState.Stopped)));
        Thread.Sleep(100);
        var after = arm.Position;
        Assert.NotEqual(before, after);
        Assert.Equal(target.X, after.X, 4);
        Assert.Equal(target.Y, after.Y, 4);
        Assert.True(robot.Holding);
        Assert.Equal(ControlState.Stopped, h.State.State);
    }

    [Fact]
    public async Task NonFiniteActionsMakeTheMonitorStopTheRobot()
    {
        var policy = new TargetPolicy(executed: 2) { Constant = true, NanAfterCalls = 3 };
        await using var h = await ControlHarness.StartAsync(policy, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000", ["Control:MergeRule"] = "replace" });
        var robot = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped), $"state {h.State.State}");
        Assert.Contains("non-finite action", h.State.LastReason);
        Assert.True(ControlHarness.WaitFor(() => robot.Holding));
    }

    [Fact]
    public async Task NaNObservationMakesTheMonitorStopTheRobot()
    {
        var arm = new PointArm(maxSteps: 100_000);
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var robot = h.StartRobot(arm);
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 5));
        arm.CorruptState = true;
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped), $"state {h.State.State}");
        Assert.Contains("non-finite state", h.State.LastReason);
        Assert.True(ControlHarness.WaitFor(() => robot.Holding));
    }

    [Fact]
    public async Task WithResetAfterMonitorStopAnAlarmEndsOnlyItsEpisodeAndTheNextRunsWithItsOwnTrace()
    {
        // Tasks 0 and 1 have a target coordinate of 0.5 in the state, over the limit: the monitor alarms at the first
        // cycle. Task 2 stays within 0.45 all the way to its target.
        await using var h = await ControlHarness.StartAsync(new TargetPolicy(), new Dictionary<string, string?>
        {
            ["Control:StateLimit"] = "0.45",
            ["Control:ResetAfterMonitorStop"] = "true",
            ["Control:RecordMonitorTrace"] = "true",
        });
        h.StartRobot(new PointArm(), new RobotEndpointOptions { Tasks = [0, 1, 2], EpisodesPerTask = 0, HoldTimeoutMs = 1000 });
        Assert.True(ControlHarness.WaitFor(() => h.Metrics.EpisodeCount >= 6, 30_000), $"episodes: {h.Metrics.EpisodeCount}, state {h.State.State}");
        var episodes = h.Metrics.Summarize(50, h.State.State.ToString()).Episodes.Take(6).ToArray();
        // One reset per alarm: the robot's episodes follow each other without a gap, tasks in the robot's order.
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), episodes.Select(e => e.Episode));
        Assert.Equal([0, 1, 2, 0, 1, 2], episodes.Select(e => e.TaskIndex ?? -1));
        foreach (var e in episodes)
        {
            Assert.NotNull(e.MonitorTrace);
            Assert.NotEmpty(e.MonitorTrace);
            if (e.TaskIndex == 2)
            {
                Assert.True(e.Success, $"episode {e.Episode}: {e.EndReason}");
                Assert.Equal("robot reported done", e.EndReason);
                Assert.DoesNotContain(e.MonitorTrace, m => m.Alarm);
            }
            else
            {
                Assert.StartsWith("monitor:", e.EndReason);
                Assert.False(e.Success);
                Assert.True(e.MonitorTrace[^1].Alarm, $"episode {e.Episode}: the trace ends at the alarm");
                Assert.Equal(1, e.MonitorTrace.Count(m => m.Alarm));
            }
        }

        Assert.Contains(h.State.History, t => t.To == ControlState.Idle && t.Reason.Contains("ResetAfterMonitorStop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutResetAfterMonitorStopAMonitorStopStaysLatchedAndNoTraceIsKept()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy(), new Dictionary<string, string?> { ["Control:StateLimit"] = "0.45" });
        var robot = h.StartRobot(new PointArm(), new RobotEndpointOptions { Tasks = [2, 0], EpisodesPerTask = 0, HoldTimeoutMs = 1000 });
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped, 20_000), $"state {h.State.State}");
        Thread.Sleep(500);
        Assert.Equal(ControlState.Stopped, h.State.State);
        var episodes = h.Metrics.Summarize(50, h.State.State.ToString()).Episodes;
        Assert.Single(episodes); // task 2 finished; task 0 is held at its alarm, not recorded
        Assert.Null(episodes[0].MonitorTrace);
        Assert.True(ControlHarness.WaitFor(() => robot.Holding));
    }

    [Fact]
    public async Task SlowInferenceWithOverrunPolicyStopStopsTheRobot()
    {
        var policy = new TargetPolicy(horizon: 4, executed: 2) { Constant = true };
        await using var h = await ControlHarness.StartAsync(policy, new Dictionary<string, string?>
        {
            ["Control:StateLimit"] = "1000",
            ["Control:OverrunPolicy"] = "stop",
        });
        var robot = h.StartRobot(new PointArm(maxSteps: 100_000));
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 3));
        policy.Delay = TimeSpan.FromMilliseconds(200); // 4-step chunks at 50 Hz last 80 ms
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped), $"state {h.State.State}");
        Assert.Contains("overrun", h.State.LastReason);
        Assert.True(h.Metrics.Overruns >= 1);
    }

    [Fact]
    public async Task HostShutdownSendsStopAndARobotWithoutHostHoldsOnItsOwn()
    {
        var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var arm = new PointArm(maxSteps: 100_000);
        var robot = h.StartRobot(arm);
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 5));
        await h.Host.StopAsync(); // what Ctrl+C / SIGTERM do
        Assert.True(ControlHarness.WaitFor(() => robot.Holding, 5000));
        Assert.Equal(0, robot.HoldsByTimeout); // held because the host said stop
        await h.DisposeAsync();

        // A host that vanishes without a word (crash): the robot holds when actions stop arriving.
        var crash = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var arm2 = new PointArm(maxSteps: 100_000);
        var robot2 = crash.StartRobot(arm2);
        Assert.True(ControlHarness.WaitFor(() => robot2.StepsExecuted > 5));
        crash.Link.Endpoint.Dispose(); // the socket dies with the process; no stop is sent
        Assert.True(ControlHarness.WaitFor(() => robot2.HoldsByTimeout >= 1, 5000));
        long steps = robot2.StepsExecuted;
        Thread.Sleep(200);
        Assert.Equal(steps, robot2.StepsExecuted);
        await crash.DisposeAsync();
    }

    private static ClientEndpoint Operator(string endpoint)
    {
        var op = new ClientEndpoint(new ClientEndpointOptions { Connect = endpoint, Name = "operator", HeartbeatIntervalMs = 50 },
            new HelloMessage(PeerRole.Operator, "test-operator"), NullLogger.Instance);
        op.Start();
        Assert.True(op.WaitWelcomed(TimeSpan.FromSeconds(5)));
        return op;
    }
}
