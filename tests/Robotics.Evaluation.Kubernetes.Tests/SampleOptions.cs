namespace Robotics.Evaluation.Kubernetes.Tests;

/// <summary>A valid 4-shard sweep the tests vary one field at a time, so each test shows what it changes.</summary>
internal static class SampleOptions
{
    public const string PlanJson = "{\n  \"policies\": [\"act\", \"diffusion\"],\n  \"seeds\": [0, 1, 2]\n}\n";

    public static SweepJobOptions FourShards() => new(
        Name: "quality",
        PlanFileName: "quality.json",
        PlanJson: PlanJson,
        Shards: 4,
        Parallelism: 2,
        Image: "registry.example.com/robotics:0.1.0",
        ResultsClaim: "sweep-results");
}
