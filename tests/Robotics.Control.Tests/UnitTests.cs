using Robotics.Control.Chunks;
using Robotics.Control.Options;
using Robotics.Control.Services;
using Robotics.Control.StateMachine;
using Robotics.Control.Tests.Fakes;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests;

public class UnitTests
{
    [Fact]
    public void BlendMergesOnlyTheOverlapAndDropsExecutedSteps()
    {
        var buffer = new ChunkBuffer(new BlendMergeRule(0.7));
        buffer.Merge(10, [[1f], [1f], [1f], [1f]], currentStep: 10);
        buffer.Merge(12, [[2f], [2f], [2f], [2f]], currentStep: 12);
        var rows = buffer.From(12);
        Assert.Equal(4, rows.Length); // steps 12..15
        Assert.Equal(0.3f * 1f + 0.7f * 2f, rows[0][0], 5);
        Assert.Equal(0.3f * 1f + 0.7f * 2f, rows[1][0], 5);
        Assert.Equal(2f, rows[2][0]);
        // A chunk computed from an old observation only fills steps not yet executed.
        buffer.Merge(8, [[9f], [9f], [9f], [9f], [9f], [9f], [9f], [9f], [9f]], currentStep: 15);
        var late = buffer.From(15);
        Assert.Equal(2, late.Length); // steps 15 and 16; rows for 8..14 were dropped
        Assert.Equal(0.3f * 2f + 0.7f * 9f, late[0][0], 5);
        Assert.Equal(9f, late[1][0]);
        Assert.Empty(buffer.From(20));
    }

    [Fact]
    public void ReplaceTakesTheNewestChunk()
    {
        var buffer = new ChunkBuffer(new ReplaceMergeRule());
        buffer.Merge(0, [[1f], [1f]], 0);
        buffer.Merge(1, [[5f], [5f]], 1);
        Assert.Equal([5f, 5f], buffer.From(1).Select(r => r[0]));
    }

    [Fact]
    public void DeltaBacktrackNegatesInReverseAndAbsoluteRevisitsEarlierPoses()
    {
        var history = Enumerable.Range(0, 6).Select(i => new ExecutedStep(i, [i * 1f, -i * 1f])).ToList();
        var delta = BacktrackPlanner.Plan(history, 3, ActionMode.Delta).ToArray();
        Assert.Equal([[-5f, 5f], [-4f, 4f], [-3f, 3f]], delta);
        Assert.Equal(3, history.Count);

        var poses = Enumerable.Range(0, 6).Select(i => new ExecutedStep(i, [i * 10f])).ToList();
        var absolute = BacktrackPlanner.Plan(poses, 3, ActionMode.Absolute).ToArray();
        // At pose 50 now; retracing 3 steps passes 40 and 30 and ends at 20, the pose before the retraced steps.
        Assert.Equal([[40f], [30f], [20f]], absolute);
    }

    [Fact]
    public void StateMachineRefusesTransitionsOutsideTheTable()
    {
        var sm = new ControlStateMachine();
        Assert.False(sm.TryMove(ControlState.Backtracking, "x"));
        Assert.True(sm.TryMove(ControlState.Running, "start"));
        Assert.True(sm.TryMove(ControlState.Stopping, "stop"));
        Assert.False(sm.TryMove(ControlState.Running, "resume while stopping"));
        Assert.True(sm.TryMove(ControlState.Stopped, "stopped"));
        Assert.True(sm.TryMove(ControlState.Backtracking, "retrace"));
        Assert.False(sm.TryMove(ControlState.Running, "no running straight out of a backtrack"));
        Assert.Equal(4, sm.History.Count);
    }

    [Theory]
    [InlineData("Control:RateHz", "200", "RateHz")]
    [InlineData("Control:MergeRule", "median", "Control:MergeRule 'median'")]
    [InlineData("Control:OverrunPolicy", "ignore", "Control:OverrunPolicy")]
    [InlineData("Transport:Bind", "tcp://0.0.0.0:5555", "not a loopback address")]
    public async Task BadOptionsStopTheHostAtStartUpWithANamedError(string key, string value, string expected)
    {
        using var host = ControlHarness.Build(new TargetPolicy(), new Dictionary<string, string?> { [key] = value });
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, e.Message);
    }
}
