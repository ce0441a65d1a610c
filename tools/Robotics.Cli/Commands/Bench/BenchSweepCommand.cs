using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Rollouts;
using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench sweep</c>: episodes per second of a sweep of scripted experts on all cores against the same
/// episodes run one by one in one worker, measured in the same run (the scaling ratio), and the result store's cost
/// per episode (an append flushed to disk) against the mean episode time.
/// </summary>
public static class BenchSweepCommand
{
    private static readonly Option<int> Episodes = new("--episodes-per-cell") { Description = "Episodes per cell (12 tabletop tasks + maze, 2 conditions).", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> Workers = new("--workers") { Description = "Workers of the parallel run (0: one per core).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Out = new("--out") { Description = "Also write the figures as JSON here." };

    public static Command Create()
    {
        var command = new Command("sweep", "Sweep throughput on all cores vs one worker (same episodes, same run), and the result store's cost per episode.");
        foreach (var option in new Option[] { Episodes, Workers, Out })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            int perCell = parse.GetValue(Episodes), workers = parse.GetValue(Workers) > 0 ? parse.GetValue(Workers) : Environment.ProcessorCount;
            var plan = SweepPlanLoader.Parse($$"""
                { "name": "bench", "seed": 5, "episodesPerCell": {{perCell}},
                  "policies": [ { "name": "expert", "kind": "expert" } ],
                  "environments": [ { "id": "tabletop-push", "tasks": "all" }, { "id": "maze2d-umaze" } ],
                  "conditions": [ { "name": "nominal" }, { "name": "shove", "fault": "shove", "environments": ["tabletop-push"] } ] }
                """);
            string root = Directory.CreateTempSubdirectory("robotics-bench-sweep-").FullName;
            try
            {
                // Warm-up (MuJoCo models, JIT) outside the timings.
                await SweepRunner.RunAsync(plan with { EpisodesPerCell = 1 }, Path.Combine(root, "warm"), new SweepRunOptions(workers), null, context.CancellationToken);
                var serial = await Time(plan, Path.Combine(root, "serial"), 1, context);
                var parallel = await Time(plan, Path.Combine(root, "parallel"), workers, context);
                int n = plan.Items().Count;
                double store = StoreCostMs(root, ResultStore.Read(Path.Combine(root, "serial"))[0]);
                double episodeMs = serial.TotalMilliseconds / n;
                var table = new Table().AddColumns("run", "episodes", "seconds", "episodes/s");
                table.AddRow("one worker", $"{n}", $"{serial.TotalSeconds:0.00}", $"{n / serial.TotalSeconds:0.0}");
                table.AddRow($"{workers} workers", $"{n}", $"{parallel.TotalSeconds:0.00}", $"{n / parallel.TotalSeconds:0.0}");
                context.Console.Write(table);
                double ratio = serial.TotalSeconds / parallel.TotalSeconds;
                context.Console.MarkupLineInterpolated($"scaling: {ratio:0.00}x with {workers} workers (goal >= 1.8x on 2 cores: {(workers < 2 ? "n/a" : ratio >= 1.8 ? "met" : "NOT met")}); the same records either way");
                context.Console.MarkupLineInterpolated($"result store: {store:0.000} ms per episode (append + flush to disk) = {100 * store / episodeMs:0.00}% of a mean episode ({episodeMs:0.0} ms)");
                context.Console.MarkupLineInterpolated($"load average {LoadAverage()}, {Environment.ProcessorCount} logical processors");
                if (parse.GetValue(Out) is { } path)
                    AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { episodes = n, workers, serialSeconds = serial.TotalSeconds, parallelSeconds = parallel.TotalSeconds, ratio, storeMsPerEpisode = store, episodeMs }));
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<TimeSpan> Time(SweepPlan plan, string dir, int workers, CommandContext context)
    {
        var clock = Stopwatch.StartNew();
        await context.WithProgressAsync($"sweep, {workers} worker(s)", progress => SweepRunner.RunAsync(plan, dir, new SweepRunOptions(workers), progress, context.CancellationToken));
        return clock.Elapsed;
    }

    /// <summary>Appends of a real record to a fresh store, as the runner does after every episode.</summary>
    private static double StoreCostMs(string root, SweepRecord sample)
    {
        var plan = SweepPlanLoader.Parse("""{ "episodesPerCell": 1, "policies": [ { "name": "expert", "kind": "expert" } ], "environments": [ { "id": "maze2d-umaze" } ] }""");
        using var store = ResultStore.Open(Path.Combine(root, "store"), plan, ShardSpec.Whole, resume: false);
        const int appends = 300;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < appends; i++)
            store.Append(sample with { Episode = i });
        return clock.Elapsed.TotalMilliseconds / appends;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
