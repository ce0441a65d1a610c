using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Store;

namespace Robotics.Evaluation.Tests;

/// <summary>Small real plans (scripted experts in MuJoCo) and record comparison that leaves out wall-clock timing.</summary>
public static class SweepFixtures
{
    public const string SmallPlan = """
        {
          "name": "small", "seed": 7, "episodesPerCell": 3,
          "policies": [ { "name": "expert", "kind": "expert" }, { "name": "shaky", "kind": "expert", "actionNoise": 2.0 } ],
          "environments": [ { "id": "tabletop-push", "tasks": [0, 4] } ],
          "conditions": [ { "name": "nominal" }, { "name": "shove", "fault": "shove" } ]
        }
        """;

    public static SweepPlan Plan(string json = SmallPlan) => SweepPlanLoader.Parse(json);

    /// <summary>Everything that the plan decides: the record minus the measured inference time.</summary>
    public static string[] Comparable(IEnumerable<SweepRecord> records) => records
        .Select(r => $"{r.Key} seed={r.Result.Seed} task={r.Result.Task} success={r.Result.Success} return={r.Result.Return:R} steps={r.Result.Steps} calls={r.Result.PolicyCalls} fault={r.Result.Fault}@{r.Result.FaultStep}")
        .Order(StringComparer.Ordinal).ToArray();

    public static string TempDir() => Directory.CreateTempSubdirectory("sweep-test-").FullName;
}
