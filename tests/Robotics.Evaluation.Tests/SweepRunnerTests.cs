using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;

namespace Robotics.Evaluation.Tests;

/// <summary>Real MuJoCo rollouts of scripted experts: determinism across workers and shards, merge, resume.</summary>
public sealed class SweepRunnerTests : IDisposable
{
    private readonly string _root = SweepFixtures.TempDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ResultsDoNotDependOnTheWorkerCount()
    {
        var plan = SweepFixtures.Plan();
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "w1"), new SweepRunOptions(Workers: 1));
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "w3"), new SweepRunOptions(Workers: 3));
        var one = ResultStore.Read(Path.Combine(_root, "w1"));
        Assert.Equal(plan.Items().Count, one.Count);
        Assert.Equal(SweepFixtures.Comparable(one), SweepFixtures.Comparable(ResultStore.Read(Path.Combine(_root, "w3"))));
        Assert.True(ResultStore.IsDone(Path.Combine(_root, "w1")));
        // The plan really exercised something: faults were injected and the shaky expert fails more.
        Assert.Contains(one, r => r.Result.Fault == "shove");
        Assert.True(one.Count(r => r.Policy == "expert" && r.Result.Success) > one.Count(r => r.Policy == "shaky" && r.Result.Success));
    }

    [Fact]
    public async Task MergedShardsEqualTheUnshardedRunRecordForRecord()
    {
        var plan = SweepFixtures.Plan();
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "all"), new SweepRunOptions(Workers: 2));
        var shards = Enumerable.Range(0, 3).Select(i => Path.Combine(_root, $"shard-{i}")).ToArray();
        for (int i = 0; i < 3; i++)
            await SweepRunner.RunAsync(plan, shards[i], new SweepRunOptions(Workers: 1, Shard: new ShardSpec(i, 3)));
        var sizes = shards.Select(s => ResultStore.Read(s).Count).ToArray();
        Assert.Equal(plan.Items().Count, sizes.Sum());
        Assert.All(sizes, n => Assert.InRange(n, plan.Items().Count / 3, plan.Items().Count / 3 + 1));
        Assert.Empty(ResultStore.Read(shards[0]).Select(r => r.Key).Intersect(ResultStore.Read(shards[1]).Select(r => r.Key)));

        var (records, missing) = SweepMerge.Merge(shards, Path.Combine(_root, "merged"));
        Assert.Equal((plan.Items().Count, 0), (records, missing));
        var merged = ResultStore.Read(Path.Combine(_root, "merged"));
        Assert.Equal(SweepFixtures.Comparable(ResultStore.Read(Path.Combine(_root, "all"))), SweepFixtures.Comparable(merged));
        // Canonical order: the plan's item order.
        Assert.Equal(plan.Items().Select(i => i.Key), merged.Select(r => r.Key));
        Assert.True(ResultStore.IsDone(Path.Combine(_root, "merged")));
    }

    [Fact]
    public async Task MergeRefusesMissingShardsAndForeignPlans()
    {
        var plan = SweepFixtures.Plan();
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "s0"), new SweepRunOptions(Workers: 1, Shard: new ShardSpec(0, 2)));
        var e = Assert.Throws<InvalidDataException>(() => SweepMerge.Merge([Path.Combine(_root, "s0")], Path.Combine(_root, "m")));
        Assert.Contains("are in no shard", e.Message);
        var other = SweepFixtures.Plan(SweepFixtures.SmallPlan.Replace("\"seed\": 7", "\"seed\": 8"));
        await SweepRunner.RunAsync(other, Path.Combine(_root, "o1"), new SweepRunOptions(Workers: 1, Shard: new ShardSpec(1, 2)));
        var f = Assert.Throws<InvalidDataException>(() => SweepMerge.Merge([Path.Combine(_root, "s0"), Path.Combine(_root, "o1")], Path.Combine(_root, "m2")));
        Assert.Contains("another plan", f.Message);
    }

    [Fact]
    public async Task ResumeSkipsFinishedEpisodesAndDropsALineTornByAKill()
    {
        var plan = SweepFixtures.Plan();
        string dir = Path.Combine(_root, "r");
        await SweepRunner.RunAsync(plan, dir, new SweepRunOptions(Workers: 2));
        string results = Path.Combine(dir, ResultStore.ResultsFile);
        var full = File.ReadAllLines(results);
        // As if killed: only the first 5 episodes made it, and a sixth line was half written.
        File.WriteAllText(results, string.Join("\n", full.Take(5)) + "\n" + full[5][..(full[5].Length / 2)]);
        File.Delete(Path.Combine(dir, ResultStore.DoneFile));

        var again = Assert.ThrowsAsync<InvalidOperationException>(() => SweepRunner.RunAsync(plan, dir, new SweepRunOptions(Workers: 1)));
        Assert.Contains("--resume", (await again).Message);
        var summary = await SweepRunner.RunAsync(plan, dir, new SweepRunOptions(Workers: 2, Resume: true));
        Assert.Equal((5, plan.Items().Count - 5), (summary.Skipped, summary.Ran));
        var resumed = ResultStore.Read(dir);
        Assert.Equal(plan.Items().Count, resumed.Select(r => r.Key).Distinct().Count());
        Assert.Equal(plan.Items().Count, resumed.Count);
        Assert.Equal(SweepFixtures.Comparable(full.Select(l => System.Text.Json.JsonSerializer.Deserialize<SweepRecord>(l, ResultStore.Json)!)), SweepFixtures.Comparable(resumed));
    }

    [Fact]
    public async Task ResumingWithAnotherPlanIsRefused()
    {
        string dir = Path.Combine(_root, "p");
        await SweepRunner.RunAsync(SweepFixtures.Plan(), dir, new SweepRunOptions(Workers: 1, Shard: new ShardSpec(0, 4)));
        var other = SweepFixtures.Plan(SweepFixtures.SmallPlan.Replace("\"episodesPerCell\": 3", "\"episodesPerCell\": 4"));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SweepRunner.RunAsync(other, dir, new SweepRunOptions(Workers: 1, Shard: new ShardSpec(0, 4), Resume: true)));
        Assert.Contains("different plan", e.Message);
    }
}

/// <summary>A learned policy (the shipped demo checkpoint) is as reproducible as a scripted one: same records and features for any worker count.</summary>
public sealed class LearnedPolicySweepTests : IDisposable
{
    private readonly string _root = SweepFixtures.TempDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task CheckpointRolloutsAndTheirFeaturesDoNotDependOnTheWorkerCount()
    {
        Robotics.Torch.TorchRuntime.Initialize(new Robotics.Torch.TorchRuntimeOptions { Threads = 1 });
        string checkpoint = Path.Combine(SweepPlanTests.RepositoryRoot(), "policies", "checkpoints", "demo-mode").Replace("\\", "/");
        var plan = SweepFixtures.Plan($$"""
            { "name": "learned", "seed": 5, "episodesPerCell": 3, "recordFeatures": true, "samplesPerCall": 2,
              "policies": [ { "name": "demo", "kind": "checkpoint", "checkpoint": "{{checkpoint}}" } ],
              "environments": [ { "id": "tabletop-push", "tasks": [0, 2] } ],
              "conditions": [ { "name": "shove", "fault": "shove", "faultRate": 0.5 } ] }
            """);
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "w1"), new SweepRunOptions(Workers: 1));
        await SweepRunner.RunAsync(plan, Path.Combine(_root, "w2"), new SweepRunOptions(Workers: 2));
        var one = ResultStore.Read(Path.Combine(_root, "w1")).OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        var two = ResultStore.Read(Path.Combine(_root, "w2")).OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        Assert.Equal(SweepFixtures.Comparable(one), SweepFixtures.Comparable(two));
        var features = (IEnumerable<SweepRecord> r) => r.SelectMany(x => x.Result.Calls!).SelectMany(c => c.Features.Concat(c.Samples!.SelectMany(k => k.SelectMany(row => row)))).ToArray();
        Assert.Equal(features(one), features(two));
        Assert.All(one, r => Assert.Equal(64, r.Result.Calls![0].Features.Length));
    }
}
