using System.Text;
using System.Text.Json;
using Robotics.Cli.Commands.RobotSim;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;
using Robotics.Plots;
using Spectre.Console;

namespace Robotics.Cli.Commands.Demo;

/// <summary>
/// The demo's detector stage: the shipped MoDE checkpoint served with its shipped SAFE detector
/// (`serve --detector`), against `robot-sim --failures 0.5` on tabletop-push-fixed (every episode runs its 200 steps, as
/// the detector was trained). At an alarm the host stops the robot, ends the episode and resets the robot into the
/// next (Control:ResetAfterMonitorStop); robot-sim's --episode-log names the fault each episode got, so the report
/// reads alarms against the truth: faults caught, clean episodes left alone, and the score curves against the band.
/// </summary>
public static class DemoDetectorStage
{
    public const string Environment = "tabletop-push-fixed";
    public const double FailureRate = 0.5;
    private const string PlotFile = "detector-scores.png";

    public static async Task<DemoDetectorReport> RunAsync(CommandContext context, string outDir, string checkpoint, string detector, string tasks,
        int episodesPerTask, long seed, CancellationToken ct)
    {
        var manifest = DetectorCheckpoint.LoadManifest(detector);
        var calibration = DetectorCalibration.FromJson(manifest.Calibration, detector);
        int taskCount = tasks.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        int episodes = taskCount * episodesPerTask;
        string episodeLog = Path.Combine(outDir, "robot-sim-detector-episodes.jsonl");
        File.Delete(episodeLog);
        // robot-sim runs until the host is done (--episodes-per-task 0): episodes the host ends at an alarm are not
        // finished by the scene, so robot-sim's own count would run past the host's.
        // Other episodes than the success-rate stages' (RunControl gives robot-sim its seed + 1000).
        long stageSeed = seed + 1000, robotSeed = stageSeed + 1000;
        var summary = await DemoCommand.RunControl(context, outDir, "MoDE + SAFE detector", ["--policy", "checkpoint", "--checkpoint", checkpoint, "--detector", detector],
            tasks, 0, episodes, stageSeed, ct,
            serveExtra: ["--set", "Control:ResetAfterMonitorStop=true", "--set", "Control:RecordMonitorTrace=true"],
            robotExtra: ["--env", Environment, "--failures", FailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--episode-log", episodeLog]);

        var faults = File.ReadLines(episodeLog).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<ArmEpisode>(l, RobotSimCommand.ArmEpisodeJson)!)
            .GroupBy(e => e.Seed - robotSeed).ToDictionary(g => g.Key, g => g.Last());
        var rows = new List<DemoDetectorEpisode>();
        var curves = new List<(string Group, double[] X, double[] Y, int? Alarm)>();
        foreach (var e in summary.Episodes)
        {
            if (!faults.TryGetValue(e.Episode, out var arm))
                throw new InvalidOperationException($"{episodeLog}: no line for episode {e.Episode} (seed {robotSeed + e.Episode})");
            var trace = e.MonitorTrace ?? [];
            int alarmIndex = trace.ToList().FindIndex(m => m.Alarm);
            rows.Add(new DemoDetectorEpisode(e.Episode, arm.Task, arm.Fault?.Kind, arm.Fault?.StartStep, alarmIndex >= 0 ? trace[alarmIndex].Step : null, e.Success, e.Steps));
            curves.Add((arm.Fault is null ? (e.Success ? "clean, solved" : "clean, not solved") : $"fault injected", trace.Select(m => (double)m.Step).ToArray(),
                trace.Select(m => m.Score).ToArray(), alarmIndex >= 0 ? alarmIndex : null));
        }

        Figure.ScoreCurves(Path.Combine(outDir, PlotFile), $"SAFE ({manifest.Kind}) in the control loop: failure score minus the conformal band",
            "step", "score - band (alarm at 0)", curves, 0, $"conformal band (alpha {calibration.Band.Alpha:0.##})");
        return new DemoDetectorReport(detector, manifest.Kind, calibration.Band.Alpha, Environment, FailureRate, rows, PlotFile);
    }

    public static void Print(CommandContext context, DemoDetectorReport r)
    {
        var table = new Table().AddColumns("detector stage", "episodes", "alarms");
        table.AddRow("fault injected", $"{r.Faulted}", $"{r.FaultedAlarms}");
        table.AddRow("clean", $"{r.Clean}", $"{r.CleanAlarms}");
        table.AddRow("clean, task solved", $"{r.CleanSolved}", $"{r.CleanSolvedAlarms}");
        context.Console.Write(table);
    }

    public static string Markdown(DemoDetectorReport r)
    {
        var md = new StringBuilder();
        md.AppendLine().AppendLine("## Failure detector in the loop").AppendLine();
        md.AppendLine($"The shipped checkpoint served with its SAFE detector (`{r.Kind}`, conformal band at alpha {r.Alpha:0.##}; `{r.Detector}`), ");
        md.AppendLine($"on `{r.Environment}` with a fault injected by the simulated arm in a {r.FailureRate:P0} share of episodes. ");
        md.AppendLine("At an alarm the host stops the robot, ends the episode and resets the robot into the next one.").AppendLine();
        md.AppendLine("| episodes | count | with an alarm |").AppendLine("|---|---|---|");
        md.AppendLine($"| fault injected | {r.Faulted} | {r.FaultedAlarms} |");
        md.AppendLine($"| clean | {r.Clean} | {r.CleanAlarms} |");
        md.AppendLine($"| clean, task solved (an alarm here is a false alarm) | {r.CleanSolved} | {r.CleanSolvedAlarms} |").AppendLine();
        md.AppendLine("| episode | task | fault (from step) | first alarm at step | solved | steps |").AppendLine("|---|---|---|---|---|---|");
        foreach (var e in r.Episodes)
            md.AppendLine($"| {e.Episode} | {e.Task} | {(e.Fault is null ? "none" : $"{e.Fault} ({e.FaultStep})")} | {(e.AlarmStep?.ToString() ?? "none")} | {(e.Success ? "yes" : "no")} | {e.Steps} |");
        md.AppendLine().AppendLine($"![score curves]({r.Plot})");
        return md.ToString();
    }
}
