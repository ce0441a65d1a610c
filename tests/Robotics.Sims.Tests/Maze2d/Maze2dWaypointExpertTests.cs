using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Maze2d;

namespace Robotics.Sims.Tests.Maze2d;

public sealed class Maze2dWaypointExpertTests
{
    [Fact]
    public void Q_iteration_plans_the_shortest_route_round_the_u()
    {
        var expert = new Maze2dWaypointExpert(MazeLayout.UMaze, seed: 5);
        expert.Act((3.0, 1.0), (0, 0), (1.0, 1.0));
        var tiles = expert.Waypoints.Select(w => ((int)Math.Ceiling(w.X - 1e-9), (int)Math.Ceiling(w.Y - 1e-9))).ToArray();
        Assert.Equal([(3, 2), (3, 3), (2, 3), (1, 3), (1, 2), (1, 1)], tiles);
        Assert.Equal((1.0, 1.0), expert.Waypoints[^1]); // the target tile is not jittered
        foreach (var (w, (x, y)) in expert.Waypoints.Zip(tiles).SkipLast(1).Select(p => (p.First, p.Second)))
        {
            Assert.InRange(x - w.X, 0.0, 0.2); // jitter is -U(0, 1) * 0.2 per axis
            Assert.InRange(y - w.Y, 0.0, 0.2);
        }
    }

    [Fact]
    public void Actions_follow_the_pd_law_and_are_clipped()
    {
        var expert = new Maze2dWaypointExpert(MazeLayout.UMaze, seed: 1);
        var (ax, ay, solved) = expert.Act((3.0, 1.95), (0.3, -0.2), (1.0, 1.0));
        var w = expert.Waypoints[0];
        Assert.Equal(Math.Clamp(10 * (w.X - 3.0) - 0.3, -1, 1), ax, 12);
        Assert.Equal(Math.Clamp(10 * (w.Y - 1.95) + 0.2, -1, 1), ay, 12);
        Assert.False(solved);
    }

    [Fact]
    public void Only_reports_solved_when_close_and_nearly_still()
    {
        var expert = new Maze2dWaypointExpert(MazeLayout.UMaze, seed: 1);
        // First call plans from the start tile, which counts as the previous location.
        Assert.True(expert.Act((1.02, 1.03), (0, 0), (1.04, 0.97)).Solved);
        // Moving fast through the target: not solved.
        Assert.False(expert.Act((1.0, 1.2), (0, 5), (1.04, 0.97)).Solved);
        Assert.False(expert.Act((1.0, 1.05), (0, 0), (1.04, 0.97)).Solved); // moved 0.15 since last call
        Assert.True(expert.Act((1.0, 1.04), (0, 0), (1.04, 0.97)).Solved);
    }

    [Theory]
    [InlineData("maze2d-umaze")]
    [InlineData("maze2d-medium")]
    [InlineData("maze2d-large")]
    public void Expert_reaches_the_goal_from_random_starts_within_the_time_limit(string id)
    {
        var registration = EnvironmentRegistry.Get(id);
        using var env = (Maze2dEnvironment)registration.Create();
        var agent = (Maze2dExpertAgent)registration.CreateExpert(env);
        for (int seed = 0; seed < 8; seed++)
        {
            var obs = env.Reset(seed).Observation;
            agent.Reset(seed);
            int solvedAt = -1;
            for (int t = 0; t < env.Spec.MaxEpisodeSteps && solvedAt < 0; t++)
            {
                obs = env.Step(agent.Act(obs)).Observation;
                if (agent.Solved)
                    solvedAt = t;
            }

            Assert.True(solvedAt >= 0, $"{id} seed {seed}: not solved in {env.Spec.MaxEpisodeSteps} steps (at {obs[0]:0.00}, {obs[1]:0.00})");
            Assert.True(Math.Sqrt(Math.Pow(obs[0] - env.Target.X, 2) + Math.Pow(obs[1] - env.Target.Y, 2)) < 0.2);
        }
    }
}
