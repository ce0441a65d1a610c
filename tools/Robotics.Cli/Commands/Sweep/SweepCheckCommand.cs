using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Evaluation.Gate;
using Robotics.Evaluation.Reports;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sweep;

/// <summary>
/// <c>robotics sweep check DIR --baseline BASELINE.json</c>: the CI gate. Exit 1 when a policy is worse than its
/// baseline with the stated confidence (and says where and by how much), 0 otherwise.
/// </summary>
public static class SweepCheckCommand
{
    private static readonly Argument<string> Folder = new("folder") { Description = "A sweep result folder." };
    private static readonly Option<string> Baseline = new("--baseline") { Description = "summary.json of the baseline run (sweep report, or sweep check --write-baseline).", Required = true };
    private static readonly Option<double> Confidence = new("--confidence") { Description = "Family-wise confidence that a flagged policy really got worse.", DefaultValueFactory = _ => 0.95 };
    private static readonly Option<bool> WriteBaseline = new("--write-baseline") { Description = "Write this run's summary as the new baseline instead of checking." };

    public static Command Create()
    {
        var command = new Command("check", "Gate: exit 1 if a policy is worse than its baseline with the stated confidence.");
        command.Arguments.Add(Folder);
        command.Options.Add(Baseline);
        command.Options.Add(Confidence);
        command.Options.Add(WriteBaseline);
        command.SetHandler((context, parse) =>
        {
            string baselinePath = parse.GetValue(Baseline)!;
            SweepSummary run;
            try
            {
                run = SweepSummary.FromFolder(parse.GetValue(Folder)!);
                if (parse.GetValue(WriteBaseline))
                {
                    Robotics.Core.IO.AtomicFile.WriteAllText(baselinePath, System.Text.Json.JsonSerializer.Serialize(run, SweepReportWriter.Json));
                    context.Console.MarkupLineInterpolated($"wrote the baseline {baselinePath} ({run.Episodes} episodes, {run.Policies.Count} policy rows)");
                    return Task.FromResult(ExitCodes.Success);
                }

                if (!File.Exists(baselinePath))
                    throw new CommandLineException($"--baseline {baselinePath} does not exist (make one with --write-baseline).");
                var result = BaselineGate.Check(run, SweepReportWriter.ReadSummary(baselinePath), parse.GetValue(Confidence));
                var table = new Table().AddColumns("policy", "environment", "condition", "now", "baseline", "points", "P(worse)", "verdict");
                foreach (var f in result.Findings)
                {
                    table.AddRow(Markup.Escape(f.Policy), Markup.Escape(f.Environment), Markup.Escape(f.Condition), $"{f.RateNow:0.000} ({f.EpisodesNow})",
                        $"{f.RateBaseline:0.000} ({f.EpisodesBaseline})", $"{f.DifferencePoints:+0.0;-0.0;0}", $"{f.ProbabilityWorse:0.0000}",
                        f.Regression ? "[red]WORSE[/]" : "[green]ok[/]");
                }

                context.Console.Write(table);
                foreach (string missing in result.MissingFromRun)
                    context.Console.MarkupLineInterpolated($"[yellow]in the baseline but not in this run: {missing}[/]");
                foreach (string added in result.NewInRun)
                    context.Console.MarkupLineInterpolated($"new in this run (not judged): {added}");
                context.Console.MarkupLineInterpolated($"bar: P(worse) > {result.Bar:0.0000} ({parse.GetValue(Confidence):0.###} family-wise over {result.Findings.Count} comparisons)");
                foreach (var f in result.Findings.Where(f => f.Regression))
                    context.Console.MarkupLineInterpolated($"[red]regression: {f.Policy} in {f.Environment} / {f.Condition}: {100 * f.RateBaseline:0.0}% -> {100 * f.RateNow:0.0}% ({f.DifferencePoints:+0.0;-0.0} points), P(worse) = {f.ProbabilityWorse:0.0000}[/]");
                context.Console.MarkupLine(result.Failed ? "[red]gate: FAILED[/]" : "[green]gate: passed[/]");
                return Task.FromResult(result.Failed ? ExitCodes.Failure : ExitCodes.Success);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new CommandLineException(e.Message);
            }
        });
        return command;
    }
}
