using System.Diagnostics;
using Robotics.Evaluation.Store;

namespace Robotics.Cli.Tests;

/// <summary>`robotics sweep` as a user runs it: a real process killed mid-sweep and resumed, shards from JOB_COMPLETION_INDEX, plan errors.</summary>
public sealed class SweepCommandTests : IDisposable
{
    private const string Plan = """
        { "name": "kill", "seed": 3, "episodesPerCell": 10,
          "policies": [ { "name": "expert", "kind": "expert" }, { "name": "shaky", "kind": "expert", "actionNoise": 2.0 } ],
          "environments": [ { "id": "tabletop-push", "tasks": [0, 1, 2] } ] }
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("sweep-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string PlanFile()
    {
        string path = Path.Combine(_root, "plan.json");
        File.WriteAllText(path, Plan);
        return path;
    }

    private static string[] Comparable(string dir) => ResultStore.Read(dir)
        .Select(r => $"{r.Key} {r.Result.Seed} {r.Result.Success} {r.Result.Return:R} {r.Result.Steps}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task AKilledSweepResumesWithoutLosingOrDuplicatingEpisodes()
    {
        string plan = PlanFile(), killed = Path.Combine(_root, "killed"), clean = Path.Combine(_root, "clean");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { CliProcess.ProgramPath, "sweep", "run", plan, "--out", killed, "--workers", "1" })
            psi.ArgumentList.Add(a);
        using (var process = Process.Start(psi)!)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            string results = Path.Combine(killed, ResultStore.ResultsFile);
            var deadline = Stopwatch.StartNew();
            while ((!File.Exists(results) || File.ReadAllLines(results).Length < 8) && deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
                await Task.Delay(20);
            Assert.False(process.HasExited, "the sweep finished before it could be killed");
            process.Kill(entireProcessTree: true); // SIGKILL: no cleanup, as an OOM kill or a pulled plug
            await process.WaitForExitAsync();
        }

        int before = ResultStore.Read(killed).Count;
        Assert.InRange(before, 8, 59);
        Assert.False(ResultStore.IsDone(killed));

        var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "sweep", "run", plan, "--out", killed, "--resume");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains($"({before} already done, {60 - before} run now)", stdout.ReplaceLineEndings(" "));
        var (cleanExit, cleanOut, cleanErr) = await CliProcess.RunAsync(null, "sweep", "run", plan, "--out", clean, "--workers", "2");
        Assert.True(cleanExit == 0, cleanOut + cleanErr);
        Assert.Equal(Comparable(clean), Comparable(killed));
        Assert.Equal(60, ResultStore.Read(killed).Select(r => r.Key).Distinct().Count());
        Assert.True(ResultStore.IsDone(killed));
    }

    [Fact]
    public async Task ShardsFromJobCompletionIndexMergeIntoTheWholePlan()
    {
        string plan = PlanFile();
        for (int i = 0; i < 2; i++)
        {
            var (exit, stdout, stderr) = await CliProcess.RunAsync(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = $"{i}" },
                "sweep", "run", plan, "--out", Path.Combine(_root, $"shard-{i}"), "--shards", "2");
            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains($"shard {i}/2: 30 episodes", stdout.ReplaceLineEndings(" "));
        }

        var merge = await CliProcess.RunAsync(null, "sweep", "merge", Path.Combine(_root, "shard-0"), Path.Combine(_root, "shard-1"), "--out", Path.Combine(_root, "merged"));
        Assert.True(merge.ExitCode == 0, merge.Stdout + merge.Stderr);
        Assert.Equal(60, ResultStore.Read(Path.Combine(_root, "merged")).Count);

        var missingIndex = await CliProcess.RunAsync(null, "sweep", "run", plan, "--out", Path.Combine(_root, "x"), "--shards", "2");
        Assert.Equal(2, missingIndex.ExitCode);
        Assert.Contains("JOB_COMPLETION_INDEX", missingIndex.Stdout + missingIndex.Stderr);
    }

    [Fact]
    public async Task AnInvalidPlanIsRefusedNamingTheFieldAndNothingRuns()
    {
        string plan = Path.Combine(_root, "bad.json");
        File.WriteAllText(plan, Plan.Replace("\"tasks\": [0, 1, 2]", "\"tasks\": [0, 42]"));
        var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "sweep", "run", plan, "--out", Path.Combine(_root, "bad"));
        Assert.Equal(2, exit);
        Assert.Contains("$.environments[0].tasks[1]: task 42 is outside", (stdout + stderr).ReplaceLineEndings(" "));
        Assert.False(Directory.Exists(Path.Combine(_root, "bad")));
    }
}
