using Robotics.Control.StateMachine;
using Robotics.Control.Tests.Fakes;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests;

/// <summary>What the host accepts from whom: hello dimensions, declared cameras, roles and sequence numbers.</summary>
public class RobotLinkTests
{
    // Long enough that a raw peer which only speaks when the test says so never trips it.
    private static readonly Dictionary<string, string?> QuietRobot = new() { ["Control:WatchdogTimeoutMs"] = "20000" };

    [Fact]
    public async Task RobotDeclaringAnotherActionDimIsRefusedAndNeverGetsActions()
    {
        await using var h = await ControlHarness.StartAsync(settings: QuietRobot);
        using var robot = new RawPeer(h.Endpoint);
        robot.Send(1, RawPeer.RobotHello(actionDim: 7));
        var error = robot.WaitFor<ErrorMessage>(e => e.Code == "invalid_value");
        Assert.NotNull(error);
        Assert.Equal("body.action_dim: robot declares 7 but the policy produces rows of 2", error.Message);
        Assert.Equal(1UL, error.ReferenceSequence);
        Assert.DoesNotContain(robot.Received.Select(e => e.Body).OfType<StatusMessage>(), s => s.State == "welcome");

        for (ulong seq = 2; seq < 12; seq++)
        {
            robot.Send(seq, RawPeer.Observation(0));
            robot.Pump(TimeSpan.FromMilliseconds(50));
        }

        robot.Pump(TimeSpan.FromMilliseconds(500));
        Assert.Empty(robot.Received.Select(e => e.Body).OfType<ActionChunkMessage>());
        // Refused before the welcome: the connection has no session, so its observations are "unauthorized".
        Assert.Contains(robot.Received.Select(e => e.Body).OfType<ErrorMessage>(), e => e.Code == "unauthorized" && e.ReferenceSequence == 11);
        Assert.Null(h.Link.Robot);
        Assert.Equal(ControlState.Idle, h.State.State);
    }

    [Fact]
    public async Task ObservationWithAnUndeclaredCameraIsRefusedAndNotUsed()
    {
        await using var h = await ControlHarness.StartAsync(settings: QuietRobot);
        using var robot = new RawPeer(h.Endpoint);
        robot.Send(1, RawPeer.RobotHello(cameras: ["front", "wrist"]));
        Assert.NotNull(robot.WaitFor<StatusMessage>(s => s.State == "welcome"));
        var image = NdArray.FromBytes(new byte[2 * 2 * 3], 2, 2, 3);

        robot.Send(2, RawPeer.Observation(0, new Dictionary<string, NdArray> { ["front"] = image, ["top"] = image }));
        var error = robot.WaitFor<ErrorMessage>(e => e.ReferenceSequence == 2);
        Assert.NotNull(error);
        Assert.Equal("invalid_value", error.Code);
        Assert.Equal("body.images.top: camera 'top' was not declared in hello (declared: front, wrist)", error.Message);
        robot.Pump(TimeSpan.FromMilliseconds(500));
        Assert.Empty(robot.Received.Select(e => e.Body).OfType<ActionChunkMessage>());
        Assert.Null(h.Link.Latest);

        // The same robot with only declared cameras is served.
        robot.Send(3, RawPeer.Observation(0, new Dictionary<string, NdArray> { ["front"] = image }));
        Assert.NotNull(robot.WaitFor<ActionChunkMessage>(c => c.ObservationSequence == 3));
    }

    [Fact]
    public async Task CommandsFromTheRobotAreRefusedAndAnOperatorsAreApplied()
    {
        await using var h = await ControlHarness.StartAsync(new TargetPolicy { Constant = true }, new Dictionary<string, string?> { ["Control:StateLimit"] = "1000" });
        var robot = h.StartRobot(new PointArm(maxSteps: 100_000));
        using var op = h.StartOperator();
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > 5));

        robot.Client.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(ControlHarness.WaitFor(() => h.SentTo(robot).OfType<ErrorMessage>().Any(e => e.Code == "forbidden")), "no refusal");
        var refusal = h.SentTo(robot).OfType<ErrorMessage>().First(e => e.Code == "forbidden");
        Assert.Equal("only operators may send commands", refusal.Message);
        Assert.NotNull(refusal.ReferenceSequence);
        // "forbidden" (authenticated, wrong role) is not "unauthorized" (no session): the robot does not say hello again,
        // keeps being served without a rejoin, and the stop it asked for never happens.
        long steps = robot.StepsExecuted;
        Assert.True(ControlHarness.WaitFor(() => robot.StepsExecuted > steps + 10 && h.State.State == ControlState.Running), $"state {h.State.State}");
        Assert.DoesNotContain(h.State.History, t => t.To is ControlState.Stopping or ControlState.Stopped);
        Assert.DoesNotContain(h.SentTo(robot).OfType<CommandMessage>(), c => c.Command == CommandKind.Stop);
        Assert.False(robot.Holding);

        op.Send(new CommandMessage(CommandKind.Stop));
        Assert.True(ControlHarness.WaitFor(() => h.State.State == ControlState.Stopped && robot.Holding), $"state {h.State.State}");
        Assert.Equal("operator stop", h.State.LastReason);
    }

    [Fact]
    public async Task ACommandTheStateMachineRefusesIsAnsweredWithItsSeq()
    {
        await using var h = await ControlHarness.StartAsync();
        using var op = new RawPeer(h.Endpoint);
        op.Send(1, new HelloMessage(PeerRole.Operator, "raw-operator"));
        Assert.NotNull(op.WaitFor<StatusMessage>(s => s.State == "welcome"));
        op.Send(7, new CommandMessage(CommandKind.Backtrack, Steps: 3));
        var refusal = op.WaitFor<ErrorMessage>(_ => true);
        Assert.NotNull(refusal);
        Assert.Equal(("bad_state", "cannot backtrack while Idle", (ulong?)7), (refusal.Code, refusal.Message, refusal.ReferenceSequence));
        Assert.Equal(ControlState.Idle, h.State.State);
    }

    [Fact]
    public async Task ObservationWhoseSeqIsNotAboveTheLastAcceptedIsRefusedUntilTheRobotSaysHelloAgain()
    {
        await using var h = await ControlHarness.StartAsync(settings: QuietRobot);
        using var robot = new RawPeer(h.Endpoint);
        robot.Send(1, RawPeer.RobotHello());
        Assert.NotNull(robot.WaitFor<StatusMessage>(s => s.State == "welcome"));
        robot.Send(2, RawPeer.Observation(0));
        Assert.NotNull(robot.WaitFor<ActionChunkMessage>(c => c.ObservationSequence == 2 && c.FirstStep == 0));

        // A replay (same seq) and a reordered one (lower seq), both claiming progress: refused, not answered.
        robot.Send(2, RawPeer.Observation(1));
        robot.Send(1, RawPeer.Observation(1));
        var replay = robot.WaitFor<ErrorMessage>(e => e.Message.StartsWith("seq 2 "));
        var reordered = robot.WaitFor<ErrorMessage>(e => e.Message.StartsWith("seq 1 "));
        Assert.NotNull(replay);
        Assert.NotNull(reordered);
        Assert.Equal(("invalid_value", "seq 2 is not above the last accepted seq 2 of this session", (ulong?)2), (replay.Code, replay.Message, replay.ReferenceSequence));
        Assert.Equal(("invalid_value", "seq 1 is not above the last accepted seq 2 of this session", (ulong?)1), (reordered.Code, reordered.Message, reordered.ReferenceSequence));
        robot.Pump(TimeSpan.FromMilliseconds(300));
        Assert.DoesNotContain(robot.Received.Select(e => e.Body).OfType<ActionChunkMessage>(), c => c.FirstStep == 1);
        Assert.Equal(0, h.Link.Latest?.Observation.Step);

        robot.Send(3, RawPeer.Observation(1));
        Assert.NotNull(robot.WaitFor<ActionChunkMessage>(c => c.ObservationSequence == 3 && c.FirstStep == 1));

        // A new hello starts the count again at 1.
        robot.Received.Clear();
        robot.Send(1, RawPeer.RobotHello());
        Assert.NotNull(robot.WaitFor<StatusMessage>(s => s.State == "welcome"));
        robot.Send(2, RawPeer.Observation(1));
        Assert.NotNull(robot.WaitFor<ActionChunkMessage>(c => c.ObservationSequence == 2 && c.FirstStep == 1));
        Assert.DoesNotContain(robot.Received.Select(e => e.Body).OfType<ErrorMessage>(), e => e.Code == "invalid_value");
    }
}
