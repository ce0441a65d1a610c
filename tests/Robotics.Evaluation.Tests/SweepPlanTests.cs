using Robotics.Evaluation.Plans;

namespace Robotics.Evaluation.Tests;

public class SweepPlanTests
{
    [Fact]
    public void CellsAreTheProductOfPoliciesEnvironmentsTasksAndConditionsInCanonicalOrder()
    {
        var plan = SweepFixtures.Plan();
        var cells = plan.Cells();
        Assert.Equal(2 * 2 * 2, cells.Count);
        Assert.Equal(new SweepCell("expert", "tabletop-push", 0, "nominal"), cells[0]);
        Assert.Equal(new SweepCell("shaky", "tabletop-push", 4, "shove"), cells[^1]);
        Assert.Equal(cells.Count * 3, plan.Items().Count);
    }

    [Fact]
    public void EveryPolicyMeetsTheSameEpisodesButCellsAndEpisodesDiffer()
    {
        var plan = SweepFixtures.Plan();
        var a = new SweepItem(new SweepCell("expert", "tabletop-push", 0, "nominal"), 1);
        var b = a with { Cell = a.Cell with { Policy = "shaky" } };
        Assert.Equal(a.Seed(plan.Seed), b.Seed(plan.Seed));
        Assert.NotEqual(a.Seed(plan.Seed), (a with { Episode = 2 }).Seed(plan.Seed));
        Assert.NotEqual(a.Seed(plan.Seed), (a with { Cell = a.Cell with { Task = 4 } }).Seed(plan.Seed));
        Assert.NotEqual(a.Seed(plan.Seed), (a with { Cell = a.Cell with { Condition = "shove" } }).Seed(plan.Seed));
    }

    [Fact]
    public void EveryProblemIsReportedWithItsJsonPath()
    {
        const string bad = """
            {
              "name": "bad", "seed": 1, "episodesPerCell": 0, "colour": "blue",
              "policies": [ { "name": "a", "kind": "oracle" }, { "name": "a", "kind": "checkpoint" }, { "kind": "expert" } ],
              "environments": [ { "id": "tabletop-push", "tasks": [0, 99] }, { "id": "moon-lander" } ],
              "conditions": [ { "name": "x", "fault": "earthquake" }, { "name": "y", "actionNoise": -1 } ]
            }
            """;
        var e = Assert.Throws<SweepPlanException>(() => SweepPlanLoader.Parse(bad, "bad.json"));
        string all = string.Join("\n", e.Errors);
        Assert.StartsWith("bad.json: ", e.Message);
        Assert.Contains("$.colour: unknown key", all);
        Assert.Contains("$.episodesPerCell: expected an integer >= 1", all);
        Assert.Contains("$.policies[0].kind: 'oracle' is not one of", all);
        Assert.Contains("$.policies[1].checkpoint: required for kind 'checkpoint'", all);
        Assert.Contains("$.policies[2].name: required", all);
        Assert.Contains("$.policies[0, 1].name: 'a' is used more than once", all);
        Assert.Contains("$.environments[0].tasks[1]: task 99 is outside [0, 11]", all);
        Assert.Contains("$.environments[1].id: 'moon-lander' is not a registered environment", all);
        Assert.Contains("$.conditions[0].fault: 'earthquake' is not a fault of 'tabletop-push'", all);
        Assert.Contains("$.conditions[1].actionNoise: expected a number in [0, 2]", all);
    }

    [Fact]
    public void ACheckpointThatDoesNotFitTheEnvironmentIsRefusedBeforeAnythingRuns()
    {
        string checkpoint = Path.Combine(RepositoryRoot(), "policies", "checkpoints", "demo-mode");
        string json = $$"""
            { "episodesPerCell": 1, "policies": [ { "name": "m", "kind": "checkpoint", "checkpoint": "{{checkpoint.Replace("\\", "/")}}" } ],
              "environments": [ { "id": "maze2d-umaze" } ] }
            """;
        var e = Assert.Throws<SweepPlanException>(() => SweepPlanLoader.Parse(json));
        Assert.Contains("$.policies[0]: checkpoint", e.Message);
        Assert.Contains("'maze2d-umaze' gives", e.Message);
    }

    /// <summary>The checkout, found from the build folder (CI maps source paths, so no [CallerFilePath]).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Robotics.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Robotics.sln not found above " + AppContext.BaseDirectory);
    }
}
