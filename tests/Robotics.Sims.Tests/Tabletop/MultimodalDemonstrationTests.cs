using Robotics.Sims.Agents;
using Robotics.Sims.Analysis;
using Robotics.Sims.Generation;
using Robotics.Sims.Maze2d;
using Robotics.Sims.Rollouts;
using Robotics.Sims.Tabletop;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Tests.Tabletop;

/// <summary>Human-like demonstrations: several strategies per state, each succeeding, recorded in infos/.</summary>
public sealed class MultimodalDemonstrationTests
{
    [Fact]
    public async Task Every_strategy_of_the_multimodal_expert_succeeds_on_at_least_95_percent_of_episodes()
    {
        var episodes = await RolloutRunner.RunAsync(new RolloutRequest(TabletopPushEnvironment.Id, 240, Seed: 21, Tasks: Enumerable.Range(0, 12).ToArray(), Style: DemoStyle.Multimodal));
        double rate = episodes.Count(e => e.Success) / (double)episodes.Count;
        Assert.True(rate >= 0.95, $"multimodal expert succeeded on {rate:P1}");
        var byMode = episodes.GroupBy(e => (int)e.StepInfos["demo_mode"][0]).ToDictionary(g => g.Key, g => g.Count(e => e.Success) / (double)g.Count());
        Assert.Equal([0, 1, 2, 3], byMode.Keys.Order());
        Assert.All(byMode, m => Assert.True(m.Value >= 0.9, $"mode {m.Key} succeeded on {m.Value:P1}"));
        Assert.Contains(episodes, e => e.StepInfos["demo_pausing"].Contains(1f));
    }

    [Fact]
    public void From_identical_states_the_multimodal_expert_takes_several_directions_and_the_scripted_one_exactly_one()
    {
        var registration = Environments.EnvironmentRegistry.Get(TabletopPushEnvironment.Id);
        var scripted = DemonstrationSpread.Measure(registration.Id, env => registration.CreateExpert(env), starts: 24, draws: 12, steps: 1, seed: 5);
        var multimodal = DemonstrationSpread.Measure(registration.Id, env => registration.CreateExpert(env, DemoStyle.Multimodal), starts: 24, draws: 12, steps: 1, seed: 5);
        Assert.All(scripted.Starts, s => Assert.Equal(1, s.ActionModes));
        Assert.All(scripted.Starts, s => Assert.All(s.FirstActions, a => Assert.Equal(s.FirstActions[0], a)));
        Assert.True(multimodal.MultimodalFraction >= 0.3, $"only {multimodal.MultimodalFraction:P0} of start states showed two or more action directions");
        Assert.True(multimodal.MeanMaxAngle > 45, $"mean largest angle {multimodal.MeanMaxAngle:0.0} deg");
    }

    [Fact]
    public async Task The_scripted_style_is_the_original_expert_and_only_the_multimodal_one_records_its_strategy()
    {
        var options = new TabletopGenerationOptions(12, Seed: 8);
        var byDefault = await TabletopDatasetGenerator.GenerateAsync(options);
        var agentBuilt = await RolloutRunner.RunAsync(new RolloutRequest(TabletopPushEnvironment.Id, 12, 8, Enumerable.Range(0, 12).ToArray(), CreateAgent: _ => new TabletopExpertAgent()));
        Assert.Equal(agentBuilt.SelectMany(e => e.Actions).SelectMany(a => a), byDefault.Column("actions").ToFloats());
        Assert.DoesNotContain(byDefault.Columns.Keys, k => k.StartsWith("infos/demo_", StringComparison.Ordinal));

        var multimodal = await TabletopDatasetGenerator.GenerateAsync(options with { Style = DemoStyle.Multimodal });
        foreach (var key in new[] { "infos/demo_mode", "infos/demo_side", "infos/demo_via", "infos/demo_contact", "infos/demo_speed", "infos/demo_pausing" })
            Assert.Equal(multimodal.RowCount, multimodal.Column(key).Shape[0]);
        var episodes = multimodal.Episodes();
        var mode = multimodal.Column("infos/demo_mode").ToFloats();
        Assert.All(episodes, e => Assert.All(Enumerable.Range((int)e.Start, e.Length), r => Assert.Equal(mode[e.Start], mode[r])));
    }

    [Fact]
    public void Random_routes_take_equally_short_alternatives_where_the_maze_has_them_and_none_in_the_u_maze()
    {
        var medium = MazeLayout.Medium;
        int alternatives = 0;
        foreach (var (start, target) in Pairs(medium))
        {
            var q = MazeQIteration.Solve(medium, target);
            var scriptedRoute = Route(medium, q, start, target, _ => MazeQIteration.Greedy(q, _));
            var rng = new Robotics.Core.Randomness.Xoshiro256(start.W * 100 + start.H);
            for (int draw = 0; draw < 4; draw++)
            {
                var route = Route(medium, q, start, target, tile => { var ties = MazeQIteration.GreedyTies(q, tile); return ties[rng.NextInt(ties.Length)]; });
                Assert.Equal(scriptedRoute.Count, route.Count); // equally short
                if (!route.SequenceEqual(scriptedRoute))
                    alternatives++;
            }
        }

        Assert.True(alternatives > 0, "no start/target pair of the medium maze offered an equally short alternative");
        foreach (var (start, target) in Pairs(MazeLayout.UMaze))
        {
            var q = MazeQIteration.Solve(MazeLayout.UMaze, target);
            var tile = start;
            while (tile != target)
            {
                Assert.Single(MazeQIteration.GreedyTies(q, tile));
                tile = MazeQIteration.Next(MazeLayout.UMaze, tile, MazeQIteration.Greedy(q, tile));
            }
        }
    }

    private static IEnumerable<((int W, int H) Start, (int W, int H) Target)> Pairs(MazeLayout layout)
    {
        var open = new List<(int W, int H)>();
        for (int w = 0; w < layout.Width; w++)
        for (int h = 0; h < layout.Height; h++)
        {
            if (!layout.IsWall(w, h))
                open.Add((w, h));
        }

        return open.SelectMany(s => open.Where(t => t != s).Select(t => (s, t)));
    }

    private static List<(int W, int H)> Route(MazeLayout layout, double[,,] q, (int W, int H) start, (int W, int H) target, Func<(int W, int H), int> choose)
    {
        var route = new List<(int W, int H)> { start };
        var tile = start;
        while (tile != target && route.Count < 100)
        {
            tile = MazeQIteration.Next(layout, tile, choose(tile));
            route.Add(tile);
        }

        return route;
    }
}
