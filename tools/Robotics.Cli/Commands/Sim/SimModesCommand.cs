using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Commands.Dataset;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Plots;
using Robotics.Sims.Agents;
using Robotics.Sims.Analysis;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sim;

/// <summary>
/// <c>robotics sim modes ENV --out DIR</c>: is the expert's action given the state multimodal? From the same start
/// states, the scripted expert and the chosen style are each rolled out with several demonstration seeds; the table
/// counts the distinct first-action directions per state, and two PNGs show the paths from one start state and the
/// spread of first-action directions.
/// </summary>
public static class SimModesCommand
{
    private static readonly Argument<string> Environment = new("environment") { Description = "Environment id (see 'robotics sim list')." };
    private static readonly Option<string> Style = new("--style") { Description = "Style compared with the scripted expert.", DefaultValueFactory = _ => "multimodal" };
    private static readonly Option<int> Starts = new("--starts") { Description = "Start states (environment seeds).", DefaultValueFactory = _ => 60 };
    private static readonly Option<int> Draws = new("--draws") { Description = "Demonstration seeds per start state.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> Steps = new("--steps") { Description = "Steps rolled out per draw (length of the plotted paths).", DefaultValueFactory = _ => 60 };
    private static readonly Option<string?> Tasks = new("--tasks") { Description = "Comma-separated task ids to cycle through over the start states, or 'all' (default)." };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the first start state.", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> Out = new("--out") { Description = "Folder for modes.json, paths.png and first-actions.png.", DefaultValueFactory = _ => "reports/modes" };

    public static Command Create()
    {
        var command = new Command("modes", "Measure whether the expert's action given the state is multimodal (scripted vs a demonstration style), with plots.");
        command.Arguments.Add(Environment);
        foreach (var option in new Option[] { Style, Starts, Draws, Steps, Tasks, Seed, Out })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var registration = SimArguments.Registration(parse.GetValue(Environment)!);
            var style = DatasetGenerateCommand.ParseStyle(parse.GetValue(Style)!);
            int starts = SimArguments.Positive(parse.GetValue(Starts), "--starts");
            int draws = parse.GetValue(Draws) >= 2 ? parse.GetValue(Draws) : throw new CommandLineException("--draws must be >= 2.");
            int steps = SimArguments.Positive(parse.GetValue(Steps), "--steps");
            int taskCount;
            using (var probe = registration.Create())
                taskCount = probe.Spec.Tasks.Count;
            var tasks = SimArguments.Tasks(parse.GetValue(Tasks), taskCount);
            string outDir = parse.GetValue(Out)!;
            var results = await Task.Run(() => new[] { DemoStyle.Scripted, style }.Distinct()
                .Select(s => (Style: s, Result: DemonstrationSpread.Measure(registration.Id, env => registration.CreateExpert(env, s), starts, draws, steps,
                    parse.GetValue(Seed), tasks, context.CancellationToken)))
                .ToArray(), context.CancellationToken);

            var table = new Table().AddColumns("style", "start states", "draws each", "states with >= 2 action modes", "mean action modes", "mean max angle (deg)", $"mean end spread after {steps} steps");
            foreach (var (s, r) in results)
            {
                table.AddRow(Name(s), r.Starts.Count.ToString(CultureInfo.InvariantCulture), draws.ToString(CultureInfo.InvariantCulture),
                    r.MultimodalFraction.ToString("P0", CultureInfo.InvariantCulture), r.MeanActionModes.ToString("0.00", CultureInfo.InvariantCulture),
                    r.MeanMaxAngle.ToString("0.0", CultureInfo.InvariantCulture), r.MeanEndSpread.ToString("0.000", CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            Directory.CreateDirectory(outDir);
            var chosen = results[^1].Result;
            var showcase = chosen.Starts.OrderByDescending(s => s.ActionModes).ThenBy(s => s.EnvironmentSeed).First();
            Figure.Paths(Path.Combine(outDir, "paths.png"), $"{registration.Id}: {draws} demonstrations ({Name(style)}) from start state {showcase.EnvironmentSeed}, task {showcase.Task}",
                "x (first observation value)", "y (second observation value)",
                showcase.Paths.Select((p, d) => ($"mode {showcase.Modes[d]:0}", p.Select(o => (double)o[0]).ToArray(), p.Select(o => (double)o[1]).ToArray())).ToArray());
            Figure.Histogram(Path.Combine(outDir, "first-actions.png"), $"{registration.Id}: first action direction relative to the scripted expert's, same states",
                "angle (degrees)", results.Select(r => (Name(r.Style), RelativeAngles(r.Result, results[0].Result))).ToArray(), 0, 180, 18);
            AtomicFile.WriteAllText(Path.Combine(outDir, "modes.json"), JsonSerializer.Serialize(results.Select(r => new
            {
                style = Name(r.Style), environment = registration.Id, starts = r.Result.Starts.Count, draws, steps,
                multimodalFraction = r.Result.MultimodalFraction, meanActionModes = r.Result.MeanActionModes, meanMaxAngle = r.Result.MeanMaxAngle, meanEndSpread = r.Result.MeanEndSpread,
                perStart = r.Result.Starts.Select(s => new { seed = s.EnvironmentSeed, task = s.Task, actionModes = s.ActionModes, modes = s.Modes, firstActions = s.FirstActions }),
            }), new JsonSerializerOptions { WriteIndented = true }));
            context.Console.MarkupLineInterpolated($"wrote {outDir}/modes.json, paths.png, first-actions.png");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Name(DemoStyle style) => style.ToString().ToLowerInvariant();

    /// <summary>Angle of every draw's first action to the scripted expert's first action at the same start state.</summary>
    private static double[] RelativeAngles(DemonstrationSpreadResult result, DemonstrationSpreadResult scripted) =>
        result.Starts.Zip(scripted.Starts).SelectMany(p => p.First.FirstActions
            .Where(a => a.Any(v => v != 0) && p.Second.FirstActions[0].Any(v => v != 0))
            .Select(a => DemonstrationSpread.AngleDegrees(a, p.Second.FirstActions[0]))).ToArray();
}
