using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Robotics.Cli.Commands.RobotSim;
using Robotics.Cli.Hosting;
using Robotics.Control.Metrics;
using Robotics.Core.IO;
using Spectre.Console;

namespace Robotics.Cli.Commands.Demo;

/// <summary>
/// <c>robotics demo</c>: the whole stack end to end on this machine, every stage a real process of this program:
/// generate a tabletop-push dataset of the demo's tasks with the scripted expert, train a short MoDE run on it, then
/// run the control host (`serve`) and the simulated robot (`robot-sim`) talking over ZeroMQ for the shipped MoDE
/// checkpoint (policies/checkpoints/demo-mode, made by `make demo-checkpoint`; longer training than fits in the
/// demo), the short run and the scripted expert, and report success with 95% intervals per policy and per task;
/// then the shipped checkpoint with its shipped SAFE detector against a simulated arm that injects faults
/// (<see cref="DemoDetectorStage"/>): alarms against the faults, and the score curves.
/// </summary>
public static class DemoCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "Report folder (report.json, report.md, metrics.json, logs).", DefaultValueFactory = _ => "reports/demo" };
    private static readonly Option<string> Tasks = new("--tasks") { Description = "Tasks to train on and evaluate.", DefaultValueFactory = _ => "0,1,2" };
    private static readonly Option<int> DatasetEpisodes = new("--dataset-episodes") { Description = "Expert episodes to generate.", DefaultValueFactory = _ => 600 };
    private static readonly Option<int> TrainSteps = new("--train-steps") { Description = "Steps of the short in-demo training (the demo must fit in 10 minutes on 2 cores).", DefaultValueFactory = _ => 1500 };
    private static readonly Option<string?> Shipped = new("--checkpoint") { Description = "The shipped MoDE checkpoint (default: policies/checkpoints/demo-mode of this checkout)." };
    private static readonly Option<int> EpisodesPerTask = new("--episodes-per-task") { Description = "Evaluation episodes per task.", DefaultValueFactory = _ => 5 };
    private static readonly Option<string> Preset = new("--preset") { Description = "Training preset.", DefaultValueFactory = _ => "tabletop-mode" };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of data, training and evaluation.", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> ShippedDetector = new("--detector") { Description = "The shipped SAFE detector of the shipped checkpoint (default: policies/checkpoints/demo-mode-detector of this checkout)." };
    private static readonly Option<int> DetectorEpisodesPerTask = new("--detector-episodes-per-task") { Description = "Episodes per task of the detector stage (0 skips it).", DefaultValueFactory = _ => 2 };

    public static Command Create()
    {
        var command = new Command("demo", "End to end: expert dataset -> MoDE training -> control host + simulated robot over ZeroMQ -> per-task table and a report folder.");
        foreach (var option in new Option[] { Out, Tasks, DatasetEpisodes, TrainSteps, Shipped, EpisodesPerTask, Preset, Seed, ShippedDetector, DetectorEpisodesPerTask })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var ct = context.CancellationToken;
            string outDir = Path.GetFullPath(parse.GetValue(Out)!);
            Directory.CreateDirectory(outDir);
            string tasks = parse.GetValue(Tasks)!;
            int taskCount = tasks.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
            int episodesPerTask = parse.GetValue(EpisodesPerTask);
            string seed = parse.GetValue(Seed).ToString();
            var clock = Stopwatch.StartNew();
            var stages = new List<(string Stage, double Seconds)>();

            string dataset = Path.Combine(outDir, "tabletop-push.hdf5");
            await Stage(context, stages, clock, "generate dataset", outDir, ct, "dataset", "generate", "tabletop-push", "--episodes", parse.GetValue(DatasetEpisodes).ToString(),
                "--tasks", tasks, "--seed", seed, "-o", dataset);
            string run = Path.Combine(outDir, "run");
            await Stage(context, stages, clock, "train policy", outDir, ct, "train", "--preset", parse.GetValue(Preset)!, "--data", dataset,
                "--steps", parse.GetValue(TrainSteps).ToString(), "--seed", seed, "-o", run, "--device", "cpu",
                // A short run: fewer checkpoints and validations than the preset's long-run settings.
                "--set", "Training:WarmupSteps=100", "--set", "Training:CheckpointEvery=1000000", "--set", "Training:ValidateEvery=1000");
            string checkpoint = Path.Combine(run, "final");

            int episodes = taskCount * episodesPerTask;
            var controls = new List<(string Policy, MetricsSummary Summary)>();
            var runs = new List<(string, string[])>();
            string? shipped = ShippedFolder(parse.GetValue(Shipped), "--checkpoint", "policies/checkpoints/demo-mode");
            if (shipped is not null)
                runs.Add(("MoDE (shipped checkpoint)", ["--policy", "checkpoint", "--checkpoint", shipped]));
            else
                context.Console.MarkupLine("[yellow]no shipped checkpoint (policies/checkpoints/demo-mode): make demo-checkpoint builds it; showing the short run only[/]");
            runs.Add(($"MoDE (trained here, {parse.GetValue(TrainSteps)} steps)", ["--policy", "checkpoint", "--checkpoint", checkpoint]));
            runs.Add(("scripted expert (reference)", ["--policy", "expert", "--env", "tabletop-push"]));
            foreach (var (policy, policyArgs) in runs)
            {
                var started = clock.Elapsed;
                controls.Add((policy, await RunControl(context, outDir, policy, policyArgs, tasks, episodesPerTask, episodes, parse.GetValue(Seed), ct)));
                stages.Add(($"control episodes: {policy}", (clock.Elapsed - started).TotalSeconds));
            }

            DemoDetectorReport? detector = null;
            string? detectorFolder = ShippedFolder(parse.GetValue(ShippedDetector), "--detector", "policies/checkpoints/demo-mode-detector");
            if (shipped is null || detectorFolder is null || parse.GetValue(DetectorEpisodesPerTask) <= 0)
            {
                context.Console.MarkupLine("[yellow]detector stage skipped: it needs the shipped checkpoint and its detector (make demo-detector builds policies/checkpoints/demo-mode-detector)[/]");
            }
            else
            {
                var started = clock.Elapsed;
                detector = await DemoDetectorStage.RunAsync(context, outDir, shipped, detectorFolder, tasks, parse.GetValue(DetectorEpisodesPerTask), parse.GetValue(Seed), ct);
                stages.Add(("control episodes: MoDE + SAFE detector, faults injected", (clock.Elapsed - started).TotalSeconds));
            }

            var rows = controls.SelectMany(c => c.Summary.Episodes.GroupBy(e => e.TaskIndex).OrderBy(g => g.Key)
                .Select(g => new DemoTaskRow(c.Policy, g.Key ?? -1, g.First().Instruction ?? "", g.Count(), g.Count(e => e.Success) / (double)g.Count(), g.Average(e => e.MeanLatencyMs))))
                .ToArray();
            var policies = controls.Select(c =>
            {
                int n = c.Summary.Episodes.Count, won = c.Summary.Episodes.Count(e => e.Success);
                var (low, high) = Robotics.Statistics.Proportion.Wilson(won, n);
                return new DemoPolicyRow(c.Policy, n, won, won / (double)n, low, high);
            }).ToArray();
            var overall = new Table().AddColumns("policy", "episodes", "successes", "success rate (95% Wilson interval)");
            foreach (var p in policies)
                overall.AddRow(Markup.Escape(p.Policy), $"{p.Episodes}", $"{p.Successes}", Markup.Escape($"{p.SuccessRate:P0} [{p.Low:P0}, {p.High:P0}]"));
            context.Console.Write(overall);
            var table = new Table().AddColumns("policy", "task", "episodes", "success rate", "mean latency ms");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Policy), $"{r.Task}", $"{r.Episodes}", $"{r.SuccessRate:P0}", $"{r.MeanLatencyMs:F2}");
            context.Console.Write(table);
            var summary = controls[0].Summary;
            if (detector is not null)
                DemoDetectorStage.Print(context, detector);
            context.Console.MarkupLineInterpolated($"total {clock.Elapsed.TotalSeconds:F0} s; MoDE loop: latency {summary.Latency}; inference {summary.Inference}; deadline misses {summary.DeadlineMisses}; overruns {summary.Overruns}");

            var report = new DemoReport(DateTimeOffset.UtcNow, clock.Elapsed.TotalSeconds, parse.GetValue(Preset)!, parse.GetValue(TrainSteps), parse.GetValue(DatasetEpisodes),
                policies, rows, stages.Select(s => new DemoStage(s.Stage, s.Seconds)).ToArray(), controls.Select(c => new DemoControlRun(c.Policy, c.Summary)).ToArray(), detector);
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(report, MetricsWriter.Json));
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), Markdown(report));
            context.Console.MarkupLineInterpolated($"report: {outDir}/report.md and report.json");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// `serve` with one policy and `robot-sim` as two processes talking over ZeroMQ; returns the host's metrics file.
    /// <paramref name="serveExtra"/> and <paramref name="robotExtra"/> add to either command line (robot-sim's
    /// --env, when given there, replaces tabletop-push).
    /// </summary>
    internal static async Task<MetricsSummary> RunControl(CommandContext context, string outDir, string policy, string[] policyArgs, string tasks,
        int episodesPerTask, int episodes, long seed, CancellationToken ct, string[]? serveExtra = null, string[]? robotExtra = null)
    {
        string name = new string(policy.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-').Replace("--", "-");
        string metricsFile = Path.Combine(outDir, $"metrics-{name}.json");
        File.Delete(metricsFile);
        string endpoint = $"tcp://127.0.0.1:{FreePort()}";
        context.Console.MarkupLineInterpolated($"[bold]control: {policy}[/]: serve + robot-sim on {endpoint}, {episodes} episodes");
        // 20 Hz is the scene's own control rate; the watchdog is generous because 2 shared cores stall processes at times.
        using var serve = RobotSimProcess.StartCommand(["serve", "--bind", endpoint, .. policyArgs, "--episodes", episodes.ToString(), "--metrics-file", metricsFile,
            "--log-level", "Information", "--rate", "20", "--set", "Control:WatchdogTimeoutMs=2000", "--set", "Control:ResumeAfterWatchdog=true", .. serveExtra ?? []]);
        string[] robotArgs = robotExtra ?? [];
        using var robot = RobotSimProcess.StartCommand(["robot-sim", "--connect", endpoint, .. robotArgs.Contains("--env") ? Array.Empty<string>() : ["--env", "tabletop-push"],
            "--tasks", tasks, "--episodes-per-task", episodesPerTask.ToString(), "--seed", (seed + 1000).ToString(), "--hold-timeout-ms", "1000", .. robotArgs]);
        var deadline = Stopwatch.StartNew();
        while (!serve.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(200, ct);
        bool ok = serve.HasExited && serve.ExitCode == 0;
        robot.WaitForExit(TimeSpan.FromSeconds(5));
        AtomicFile.WriteAllText(Path.Combine(outDir, $"serve-{name}.log"), serve.Output);
        AtomicFile.WriteAllText(Path.Combine(outDir, $"robot-sim-{name}.log"), robot.Output);
        if (!ok || !File.Exists(metricsFile))
            throw new InvalidOperationException($"the control host ({policy}) did not finish its {episodes} episodes (see {outDir}/serve-{name}.log)");
        var summary = MetricsWriter.Read(metricsFile);
        if (summary.Episodes.Count < episodes)
            throw new InvalidOperationException($"the control host ({policy}) recorded {summary.Episodes.Count} of {episodes} episodes (see {outDir}/serve-{name}.log)");
        return summary;
    }

    private static async Task Stage(CommandContext context, List<(string, double)> stages, Stopwatch clock, string name, string outDir, CancellationToken ct, params string[] args)
    {
        var started = clock.Elapsed;
        context.Console.MarkupLineInterpolated($"[bold]{name}[/]: robotics {string.Join(' ', args)}");
        using var process = RobotSimProcess.StartCommand(args);
        while (!process.HasExited)
            await Task.Delay(200, ct);
        string log = Path.Combine(outDir, name.Replace(' ', '-') + ".log");
        AtomicFile.WriteAllText(log, process.Output);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{name} failed with exit code {process.ExitCode} (see {log})");
        stages.Add((name, (clock.Elapsed - started).TotalSeconds));
        context.Console.MarkupLineInterpolated($"  done in {(clock.Elapsed - started).TotalSeconds:F0} s");
    }

    /// <summary>A shipped folder: the option's, else <paramref name="relative"/> of the current folder or of the checkout this program was built in.</summary>
    private static string? ShippedFolder(string? option, string optionName, string relative)
    {
        if (option is not null)
            return Directory.Exists(option) ? Path.GetFullPath(option) : throw new CommandLineException($"{optionName} {option}: no such folder.");
        if (Directory.Exists(relative))
            return Path.GetFullPath(relative);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
                return candidate;
        }

        return null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Markdown(DemoReport r)
    {
        var md = new StringBuilder();
        md.AppendLine("# robotics demo report").AppendLine();
        md.AppendLine($"{r.Created:u}; {r.TotalSeconds:F0} s in total; preset `{r.Preset}`, {r.TrainSteps} training steps on {r.DatasetEpisodes} expert episodes.").AppendLine();
        md.AppendLine("| policy | episodes | successes | success rate | 95% Wilson interval |").AppendLine("|---|---|---|---|---|");
        foreach (var p in r.Policies)
            md.AppendLine($"| {p.Policy} | {p.Episodes} | {p.Successes} | {p.SuccessRate:P0} | [{p.Low:P0}, {p.High:P0}] |");
        md.AppendLine();
        md.AppendLine("| policy | task | instruction | episodes | success rate | mean latency ms |").AppendLine("|---|---|---|---|---|---|");
        foreach (var t in r.Tasks)
            md.AppendLine($"| {t.Policy} | {t.Task} | {t.Instruction} | {t.Episodes} | {t.SuccessRate:P0} | {t.MeanLatencyMs:F2} |");
        md.AppendLine().AppendLine("| stage | seconds |").AppendLine("|---|---|");
        foreach (var s in r.Stages)
            md.AppendLine($"| {s.Stage} | {s.Seconds:F1} |");
        foreach (var run in r.Control)
        {
            var m = run.Summary;
            md.AppendLine().AppendLine($"| control loop, {run.Policy} | p50 ms | p99 ms | max ms |").AppendLine("|---|---|---|---|");
            foreach (var (name, p) in new[] { ("observation -> action", m.Latency), ("processing", m.Processing), ("round trip", m.RoundTrip), ("inference", m.Inference), ("clock jitter", m.Jitter) })
                md.AppendLine($"| {name} | {p.P50:F3} | {p.P99:F3} | {p.Max:F3} |");
            md.AppendLine().AppendLine($"{m.Cycles} cycles at {m.RateHz:0.#} Hz, {m.DeadlineMisses} deadline misses, {m.Overruns} inference overruns, {m.MonitorAlarms} monitor alarms, {m.WatchdogStops} watchdog stops.");
        }

        if (r.Detector is not null)
            md.Append(DemoDetectorStage.Markdown(r.Detector));
        return md.ToString();
    }
}
