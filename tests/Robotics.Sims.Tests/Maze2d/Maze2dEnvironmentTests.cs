using Robotics.Sims.Environments;
using Robotics.Sims.Maze2d;
using Robotics.Sims.MuJoCo;

namespace Robotics.Sims.Tests.Maze2d;

public sealed class Maze2dEnvironmentTests
{
    [Fact]
    public void Layouts_parse_as_d4rl_does_with_w_the_line_and_h_the_character()
    {
        var u = MazeLayout.UMaze;
        Assert.Equal((5, 5), (u.Width, u.Height));
        Assert.Equal((1, 1), u.Goal);
        Assert.Equal([(1, 2), (1, 3), (2, 3), (3, 1), (3, 2), (3, 3)], u.EmptyLocations);
        Assert.Equal([.. u.EmptyLocations, (1, 1)], u.ResetLocations);
        Assert.Equal((6, 6), MazeLayout.Medium.Goal);
        Assert.Equal((7, 9), MazeLayout.Large.Goal);
        Assert.Equal((9, 12), (MazeLayout.Large.Width, MazeLayout.Large.Height));
        var error = Assert.Throws<FormatException>(() => new MazeLayout("bad", "###\\#X#\\###"));
        Assert.Contains("'X'", error.Message);
    }

    [Fact]
    public void Model_has_the_d4rl_physics_parameters()
    {
        using var model = MuJoCoModel.LoadXmlString(Maze2dModelXml.Build(MazeLayout.UMaze));
        Assert.Equal(0.01, model.Timestep);
        Assert.Equal((2, 2, 2), (model.Nq, model.Nv, model.Nu));
        Assert.Equal(100.0, model.ActuatorGear(0));
        Assert.Equal((-1.0, 1.0), model.ActuatorControlRange(1));
        int walls = 0;
        for (int w = 0; w < 5; w++)
            for (int h = 0; h < 5; h++)
                walls += MazeLayout.UMaze[w, h] == MazeTile.Wall ? 1 : 0;
        Assert.Equal(walls + 2, model.NGeom); // ground + particle + one box per wall tile
        Assert.True(model.TryGetId(MuJoCoObjectType.Geom, "wall_0_0") >= 0);
    }

    [Fact]
    public void Same_seed_gives_the_same_trajectory_bit_for_bit()
    {
        using var a = (Maze2dEnvironment)EnvironmentRegistry.Create("maze2d-medium");
        using var b = (Maze2dEnvironment)EnvironmentRegistry.Create("maze2d-medium");
        float[][] Roll(IEnvironment env, long seed)
        {
            var rows = new List<float[]> { env.Reset(seed).Observation };
            for (int t = 0; t < 100; t++)
                rows.Add(env.Step([MathF.Sin(t * 0.1f), MathF.Cos(t * 0.07f)]).Observation);
            return [.. rows];
        }

        var first = Roll(a, 42);
        Assert.Equal(first, Roll(b, 42));
        Assert.Equal(first, Roll(a, 42));
        Assert.NotEqual(first[0], Roll(b, 43)[0]);
    }

    [Fact]
    public void Reset_draws_a_reset_tile_plus_uniform_noise_and_small_velocity()
    {
        using var env = (Maze2dEnvironment)EnvironmentRegistry.Create("maze2d-umaze");
        var tiles = new HashSet<(int, int)>();
        var velocities = new List<double>();
        for (int seed = 0; seed < 300; seed++)
        {
            var obs = env.Reset(seed).Observation;
            var tile = ((int)Math.Round(obs[0]), (int)Math.Round(obs[1]));
            Assert.Contains(tile, MazeLayout.UMaze.ResetLocations);
            Assert.InRange(obs[0] - tile.Item1, -0.1f, 0.1f);
            Assert.InRange(obs[1] - tile.Item2, -0.1f, 0.1f);
            tiles.Add(tile);
            velocities.Add(obs[2]);
            velocities.Add(obs[3]);
        }

        Assert.Equal(MazeLayout.UMaze.ResetLocations.Count, tiles.Count);
        double std = Math.Sqrt(velocities.Select(v => v * v).Average());
        Assert.InRange(std, 0.085, 0.115);
        Assert.Equal((1.0, 1.0), env.Target);
    }

    [Fact]
    public void Reward_is_computed_on_the_new_observation_sparse_and_dense()
    {
        using var sparse = (Maze2dEnvironment)EnvironmentRegistry.Create("maze2d-umaze");
        using var dense = (Maze2dEnvironment)EnvironmentRegistry.Create("maze2d-umaze-dense");
        foreach (var env in new[] { sparse, dense })
        {
            var obs = env.Reset(7).Observation;
            bool sawOne = false;
            for (int t = 0; t < 300; t++)
            {
                // Head for the goal so the sparse reward switches on at some point.
                var step = env.Step([(float)(10 * (1 - obs[0]) - obs[2]), (float)(10 * (1 - obs[1]) - obs[3])]);
                double distance = Math.Sqrt(Math.Pow(step.Observation[0] - 1.0, 2) + Math.Pow(step.Observation[1] - 1.0, 2));
                double expected = env.RewardType == Maze2dRewardType.Sparse ? (distance <= 0.5 ? 1 : 0) : Math.Exp(-distance);
                Assert.Equal(expected, step.Reward, 5);
                sawOne |= step.Reward == 1.0;
                Assert.False(step.Terminated);
                obs = step.Observation;
            }

            Assert.True(env.RewardType == Maze2dRewardType.Dense || sawOne);
        }
    }

    [Fact]
    public void Velocity_is_clipped_before_the_physics_step_and_actions_are_clipped()
    {
        // Full force along an open corridor: without the clip the particle would approach 100 tiles/s
        // (gear 100, damping 1); with it, a step starts from at most 5 and adds one step of acceleration.
        var corridor = new MazeLayout("corridor", "#############\\#OOOOOOOOOOO#\\#############");
        using var env = new Maze2dEnvironment("corridor", corridor, Maze2dRewardType.Dense, 100);
        double max = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var obs = env.Reset(seed).Observation;
            float direction = obs[1] < 6 ? 1f : -1f; // towards the longer free side
            for (int t = 0; t < 30; t++)
                max = Math.Max(max, Math.Abs(env.Step([0f, direction]).Observation[3]));
        }

        Assert.InRange(max, 5.0, 5.0 + 100 * 0.01 / (1000 * 4.0 / 3.0 * Math.PI * 0.001) + 1e-6);

        using var a = EnvironmentRegistry.Create("maze2d-umaze");
        using var b = EnvironmentRegistry.Create("maze2d-umaze");
        a.Reset(3);
        b.Reset(3);
        Assert.Equal(a.Step([1f, -1f]).Observation, b.Step([25f, -7f]).Observation);
    }

    [Fact]
    public void Time_limit_truncates_at_the_registered_episode_length()
    {
        using var env = EnvironmentRegistry.Create("maze2d-umaze-v1");
        Assert.Equal(300, env.Spec.MaxEpisodeSteps);
        Assert.Equal(600, EnvironmentRegistry.Create("maze2d-medium").Spec.MaxEpisodeSteps);
        Assert.Equal(800, EnvironmentRegistry.Create("maze2d-large-dense").Spec.MaxEpisodeSteps);
        env.Reset(0);
        StepResult step;
        int n = 0;
        do
        {
            step = env.Step([0f, 0f]);
            n++;
        }
        while (!step.Done);
        Assert.Equal(300, n);
        Assert.True(step.Truncated);
        Assert.False(step.Terminated);
        var error = Assert.Throws<EnvironmentException>(() => env.Step([0f, 0f]));
        Assert.Contains("Reset", error.Message);
    }

    [Fact]
    public void Bad_actions_get_a_clear_error_naming_the_element()
    {
        using var env = EnvironmentRegistry.Create("maze2d-umaze");
        Assert.Contains("before Reset", Assert.Throws<EnvironmentException>(() => env.Step([0f, 0f])).Message);
        env.Reset(1);
        var nan = Assert.Throws<EnvironmentException>(() => env.Step([0f, float.NaN]));
        Assert.Contains("action[1]", nan.Message);
        Assert.Contains("force_y", nan.Message);
        Assert.Contains("action[0]", Assert.Throws<EnvironmentException>(() => env.Step([float.PositiveInfinity, 0f])).Message);
        Assert.Contains("expected 2", Assert.Throws<EnvironmentException>(() => env.Step([0f, 0f, 0f])).Message);
        Assert.Contains("task id 1", Assert.Throws<EnvironmentException>(() => env.Reset(0, new ResetOptions(1))).Message);
        Assert.Contains("Registered", Assert.Throws<KeyNotFoundException>(() => EnvironmentRegistry.Create("maze2d-huge")).Message);
        env.Step([0f, 0f]); // still usable after rejected input
    }

    [Fact]
    public void Free_flight_matches_mujocos_implicit_damping_euler_step_with_the_d4rl_parameters()
    {
        // Away from walls one step is v1 = v0 + h (100 a - d v0) / (m + h d), x1 = x0 + h v1 with
        // h = 0.01, gear 100, damping d = 1 and m = 1000 * 4/3 pi 0.1^3 (density 1000, radius 0.1);
        // agreement to ~1e-8 relative (a 1% change of mass, damping or gear would miss by ~1e-3).
        var corridor = new MazeLayout("corridor", "#############\\#OOOOOOOOOOO#\\#############");
        using var env = new Maze2dEnvironment("corridor", corridor, Maze2dRewardType.Sparse, 100);
        const double h = 0.01, d = 1.0;
        double m = 1000 * 4.0 / 3.0 * Math.PI * 0.001;
        env.Reset(5);
        double maxVelocity = 0;
        for (int t = 0; t < 30; t++)
        {
            var s0 = env.State;
            float ax = 0.3f * MathF.Sin(t), ay = t < 25 ? 1f : -0.5f;
            env.Step([ax, ay]);
            var s1 = env.State;
            double vx0 = Math.Clamp(s0.Vx, -5, 5), vy0 = Math.Clamp(s0.Vy, -5, 5); // D4RL clips qvel before the step
            double vx1 = vx0 + h * (100 * ax - d * vx0) / (m + h * d);
            double vy1 = vy0 + h * (100 * ay - d * vy0) / (m + h * d);
            Assert.Equal(vx1, s1.Vx, 7);
            Assert.Equal(vy1, s1.Vy, 7);
            Assert.Equal(s0.X + h * vx1, s1.X, 9);
            Assert.Equal(s0.Y + h * vy1, s1.Y, 9);
            maxVelocity = Math.Max(maxVelocity, Math.Abs(s0.Vy));
        }

        Assert.True(maxVelocity > 5, "the run should exceed the clip so the clip is exercised");
    }
}
