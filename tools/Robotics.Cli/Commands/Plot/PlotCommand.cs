using System.CommandLine;
using System.Globalization;
using Robotics.Cli.Hosting;
using Robotics.Statistics;
using Spectre.Console;

namespace Robotics.Cli.Commands.Plot;

/// <summary>
/// <c>robotics plot rates TABLE.tsv --out FIGURE.png</c>: success rates with 95% Wilson intervals as grouped bars, from
/// a tab-separated table with a header and the columns group, series, successes, episodes (one row a bar). For
/// experiment scripts (e.g. the pretraining claim) whose tables are counts.
/// </summary>
public static class PlotCommand
{
    public static Command Create()
    {
        var plot = new Command("plot", "Figures from result tables (PNG, ScottPlot).");
        var table = new Argument<string>("table") { Description = "TSV with a header: group, series, successes, episodes." };
        var output = new Option<string>("--out", "-o") { Description = "PNG to write.", Required = true };
        var title = new Option<string>("--title") { Description = "Figure title.", DefaultValueFactory = _ => "" };
        var rates = new Command("rates", "Success rates with 95% Wilson intervals as grouped bars.");
        rates.Arguments.Add(table);
        rates.Options.Add(output);
        rates.Options.Add(title);
        rates.SetHandler((context, parse) =>
        {
            string path = parse.GetValue(table)!;
            if (!File.Exists(path))
                throw new CommandLineException($"{path}: no such file.");
            var rows = File.ReadAllLines(path).Skip(1).Where(l => l.Trim().Length > 0).Select((line, i) =>
            {
                var f = line.Split('\t');
                if (f.Length < 4 || !int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int k)
                    || !int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || k < 0 || k > n)
                    throw new CommandLineException($"{path} row {i + 2}: expected group, series, successes, episodes (0 <= successes <= episodes, episodes >= 1); got '{line}'.");
                return (Group: f[0], Series: f[1], K: k, N: n);
            }).ToArray();
            if (rows.Length == 0)
                throw new CommandLineException($"{path}: no rows after the header.");
            var groups = rows.Select(r => r.Group).Distinct().ToArray();
            var series = rows.Select(r => r.Series).Distinct().Select(name =>
            {
                var cells = groups.Select(g => rows.FirstOrDefault(r => r.Group == g && r.Series == name)).ToArray();
                var intervals = cells.Select(c => c.N > 0 ? Proportion.Wilson(c.K, c.N) : default).ToArray();
                return (name, cells.Select(c => c.N > 0 ? c.K / (double)c.N : double.NaN).ToArray(),
                    intervals.Select(i => i.Low).ToArray(), intervals.Select(i => i.High).ToArray());
            }).ToArray();
            string png = parse.GetValue(output)!;
            Robotics.Plots.Figure.RatesWithIntervals(png, parse.GetValue(title)!, groups, series);
            context.Console.MarkupLineInterpolated($"wrote {png}: {groups.Length} group(s) x {series.Length} series");
            return Task.FromResult(ExitCodes.Success);
        });
        plot.Subcommands.Add(rates);
        return plot;
    }
}
