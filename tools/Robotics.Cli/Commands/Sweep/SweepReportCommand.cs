using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Evaluation.Reports;
using Robotics.Evaluation.Store;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sweep;

/// <summary><c>robotics sweep report DIR --out REPORT</c>: statistics, letters, plots, Markdown + HTML + JSON.</summary>
public static class SweepReportCommand
{
    private static readonly Argument<string> Folder = new("folder") { Description = "A sweep result folder (sweep run or sweep merge)." };
    private static readonly Option<string> Out = new("--out") { Description = "Report folder.", Required = true };

    public static Command Create()
    {
        var command = new Command("report", "Write the report of a sweep folder: summary.json, report.md, report.html and PNG plots.");
        command.Arguments.Add(Folder);
        command.Options.Add(Out);
        command.SetHandler((context, parse) =>
        {
            string folder = parse.GetValue(Folder)!, output = parse.GetValue(Out)!;
            SweepSummary summary;
            IReadOnlyList<SweepRecord> records;
            try
            {
                records = ResultStore.Read(folder);
                summary = SweepSummary.From(ResultStore.ReadPlan(folder), records);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new CommandLineException(e.Message);
            }

            var files = SweepReportWriter.Write(summary, records, output);
            Render(context, summary);
            if (!ResultStore.IsDone(folder))
                context.Console.MarkupLine("[yellow]the folder is not complete (no DONE): this report covers the episodes finished so far[/]");
            context.Console.MarkupLineInterpolated($"wrote {files.Count} files to {output} ({SweepReportWriter.MarkdownFile}, {SweepReportWriter.HtmlFile}, {SweepReportWriter.SummaryFile}, plots)");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static void Render(CommandContext context, SweepSummary summary)
    {
        var table = new Table().AddColumns("environment", "condition", "policy", "n", "success", "95% (Wilson)", "letters");
        foreach (var p in summary.Policies)
        {
            string letters = summary.Comparisons.FirstOrDefault(c => c.Environment == p.Environment && c.Condition == p.Condition)?.Letters.GetValueOrDefault(p.Policy) ?? "a";
            table.AddRow(Markup.Escape(p.Environment), Markup.Escape(p.Condition), Markup.Escape(p.Policy), $"{p.Episodes}", $"{p.Rate:0.000}",
                Markup.Escape($"[{p.Wilson.Low:0.000}, {p.Wilson.High:0.000}]"), letters);
        }

        context.Console.Write(table);
        var a = summary.Advice;
        context.Console.MarkupLineInterpolated($"with {a.EpisodesPerCell} episodes per cell this sweep can tell {SweepReportWriter.Points(a.DetectablePerCell)} (80% power, 5%); pooled per policy ({a.EpisodesPerPolicy}): {SweepReportWriter.Points(a.DetectablePerPolicy)}. A 10-point difference needs {a.EpisodesFor10Points} episodes per arm.");
    }
}
