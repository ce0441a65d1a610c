using Robotics.Sims.Environments;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Tests.Tabletop;

public sealed class TabletopPushEnvironmentTests
{
    [Fact]
    public void Spec_lists_twelve_block_zone_tasks_with_instructions_and_the_documented_layout()
    {
        using var env = new TabletopPushEnvironment();
        Assert.Equal(12, env.Spec.Tasks.Count);
        Assert.Equal("push the red block to the left zone", env.Spec.Tasks[0].Instruction);
        Assert.Equal("push the blue block to the near zone", env.Spec.Tasks[11].Instruction);
        Assert.Equal(Enumerable.Range(0, 12), env.Spec.Tasks.Select(t => t.Index));
        Assert.Equal(12, env.Spec.Tasks.Select(t => t.Instruction).Distinct().Count());
        Assert.Equal(31, env.Spec.Observation.Dimension);
        Assert.Equal(2, env.Spec.Action.Dimension);
        Assert.Equal(20.0, env.Spec.ControlFrequencyHz, 9);
        Assert.Equal("green_x", env.Spec.Observation.Names[10]);
        Assert.Equal("target_y", env.Spec.Observation.Names[30]);
        var shape = env.Spec.ToShapeSpec();
        Assert.Equal(12, shape.TaskCount);
        Assert.Equal([31], shape.Observations[0].Shape);
    }

    [Fact]
    public void Observation_encodes_the_state_and_the_task()
    {
        using var env = new TabletopPushEnvironment();
        var reset = env.Reset(11, new ResetOptions(TabletopScene.TaskIndex(block: 2, zone: 3)));
        var o = reset.Observation;
        Assert.Equal(11, reset.Info.TaskIndex);
        Assert.Equal([0f, 0f, 1f], o[22..25]);
        Assert.Equal([0f, 0f, 0f, 1f], o[25..29]);
        Assert.Equal((0f, -0.2f), (o[29], o[30]));
        for (int b = 0; b < 3; b++)
        {
            var (x, y) = env.BlockPosition(b);
            Assert.Equal((float)x, o[4 + 6 * b]);
            Assert.Equal((float)y, o[5 + 6 * b]);
            Assert.Equal(1.0, o[6 + 6 * b] * o[6 + 6 * b] + o[7 + 6 * b] * o[7 + 6 * b], 5);
        }

        // Pushing the pusher right for a second moves it right at about 0.25 m/s.
        float x0 = o[0];
        StepResult step = null!;
        for (int t = 0; t < 20; t++)
            step = env.Step([1f, 0f]);
        Assert.InRange(step.Observation[2], 0.2f, 0.26f);
        Assert.True(step.Observation[0] > x0 + 0.15f || step.Observation[0] > 0.29f);
    }

    [Fact]
    public void Task_is_drawn_from_the_seed_when_not_given_and_out_of_range_ids_are_refused()
    {
        using var env = new TabletopPushEnvironment();
        var drawn = Enumerable.Range(0, 60).Select(s => env.Reset(s).Info.TaskIndex).ToArray();
        Assert.Equal(12, drawn.Distinct().Count());
        Assert.Equal(drawn, Enumerable.Range(0, 60).Select(s => env.Reset(s).Info.TaskIndex));
        var error = Assert.Throws<EnvironmentException>(() => env.Reset(0, new ResetOptions(12)));
        Assert.Contains("task id 12", error.Message);
        Assert.Contains("0..11", error.Message);
        Assert.Throws<EnvironmentException>(() => env.Reset(0, new ResetOptions(-1)));
    }

    [Fact]
    public void Bad_actions_are_refused_with_a_clear_message()
    {
        using var env = new TabletopPushEnvironment();
        env.Reset(0);
        Assert.Contains("pusher_vx", Assert.Throws<EnvironmentException>(() => env.Step([float.NaN, 0f])).Message);
        Assert.Contains("expected 2", Assert.Throws<EnvironmentException>(() => env.Step([0f])).Message);
        Assert.Equal(1, env.Step([0f, 0f]).Observation.Length / 31);
    }

    [Fact]
    public void A_numerical_blow_up_is_surfaced_as_a_warning_in_info()
    {
        using var env = new TabletopPushEnvironment();
        env.Reset(3);
        env.Shove(0, double.NaN, 0);
        var step = env.Step([0f, 0f]);
        Assert.Contains(step.Info.Warnings, w => w.Contains("BadQvel"));
        Assert.Empty(env.Step([0f, 0f]).Info.Warnings);
    }

    [Fact]
    public async Task Same_seed_same_trajectory_and_the_env_can_be_stepped_from_another_thread()
    {
        float[][] Roll(TabletopPushEnvironment env)
        {
            var expert = new TabletopPushExpert();
            var obs = env.Reset(99, new ResetOptions(5)).Observation;
            var rows = new List<float[]> { obs };
            for (int t = 0; t < 60; t++)
            {
                obs = env.Step(expert.Act(obs)).Observation;
                rows.Add(obs);
            }

            return [.. rows];
        }

        using var env = new TabletopPushEnvironment();
        var here = Roll(env);
        var there = await Task.Run(() => Roll(env));
        Assert.Equal(here, there);
    }

    [Fact]
    public void Success_needs_the_block_at_rest_inside_its_zone_and_ends_the_episode()
    {
        using var env = new TabletopPushEnvironment();
        var expert = new TabletopPushExpert();
        var obs = env.Reset(21, new ResetOptions(TabletopScene.TaskIndex(0, 1))).Observation;
        StepResult step;
        do
        {
            step = env.Step(expert.Act(obs));
            obs = step.Observation;
            if (!step.Info.IsSuccess)
                Assert.True(step.Info.Values["block_distance"] >= TabletopScene.ZoneRadius || step.Info.Values["block_speed"] >= TabletopScene.RestSpeed);
        }
        while (!step.Done);
        Assert.True(step.Terminated && step.Info.IsSuccess && step.Reward == 1.0);
        var (x, y) = env.BlockPosition(0);
        Assert.True(Math.Sqrt((x - 0.2) * (x - 0.2) + y * y) < TabletopScene.ZoneRadius);
    }
}
