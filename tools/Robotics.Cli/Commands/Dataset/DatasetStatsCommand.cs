using System.CommandLine;
using System.Globalization;
using Robotics.Cli.Hosting;
using Robotics.Core.Shapes;
using Robotics.Datasets.Statistics;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary><c>robotics dataset stats PATH [--out stats.json]</c>: one streaming pass, LeRobot stats.json shape.</summary>
public static class DatasetStatsCommand
{
    public static Command Create()
    {
        var path = DatasetArguments.Input();
        var format = DatasetArguments.Format();
        var keys = new Option<string[]>("--keys") { Description = "Columns to summarise (default: every numeric column).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--out") { Description = "Write the statistics to this stats.json (atomically)." };
        var reservoir = new Option<int>("--reservoir") { Description = "Rows kept for quantiles (exact up to this many rows).", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the quantile reservoir.", DefaultValueFactory = _ => 0UL };
        var command = new Command("stats", "Mean, std, min, max, q01/q10/q50/q90/q99 and count per feature in one streaming pass.");
        command.Arguments.Add(path);
        command.Options.Add(format);
        command.Options.Add(keys);
        command.Options.Add(output);
        command.Options.Add(reservoir);
        command.Options.Add(seed);
        command.SetHandler(async (context, parse) =>
        {
            string input = parse.GetValue(path)!;
            var reader = DatasetArguments.Resolve(input, parse.GetValue(format));
            using var source = reader.OpenSource(input, context.CancellationToken);
            var selected = parse.GetValue(keys) is { Length: > 0 } k ? k : null;
            var stats = await context.WithProgressAsync($"stats {input}", progress => Task.Run(() =>
                DatasetStatistics.Compute(source, selected, reservoirRows: parse.GetValue(reservoir), seed: parse.GetValue(seed), progress: progress, cancellationToken: context.CancellationToken)));
            var table = new Table().AddColumns("feature", "element", "mean", "std", "min", "max", "q01", "q50", "q99");
            foreach (var (key, s) in stats.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                for (int j = 0; j < Math.Min(s.Width, 12); j++)
                {
                    string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
                    table.AddRow(j == 0 ? Markup.Escape(key) : "", j.ToString(CultureInfo.InvariantCulture), F(s.Mean[j]), F(s.Std[j]), F(s.Min[j]), F(s.Max[j]), F(s.Q01[j]), F(s.Q50[j]), F(s.Q99[j]));
                }

                if (s.Width > 12)
                    table.AddRow("", $"... {s.Width - 12} more", "", "", "", "", "", "", "");
            }

            context.Console.Write(table);
            if (parse.GetValue(output) is { } file)
            {
                StatsJson.Write(file, stats);
                context.Console.MarkupLineInterpolated($"wrote {file}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
