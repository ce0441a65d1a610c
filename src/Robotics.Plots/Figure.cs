using ScottPlot;

namespace Robotics.Plots;

/// <summary>
/// PNG figures for reports, drawn with ScottPlot: paths in the plane, histograms and bars with intervals. Each
/// method writes one file through a temporary name and a rename, so a reader never sees half a PNG.
/// </summary>
public static class Figure
{
    public const int Width = 800;
    public const int Height = 600;

    /// <summary>One line per path (x, y points), coloured by its group, with the group names in the legend.</summary>
    public static void Paths(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Group, double[] X, double[] Y)> lines, bool equalAxes = true)
    {
        var plot = New(title, xLabel, yLabel);
        var groups = lines.Select(l => l.Group).Distinct().ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (group, x, y) in lines)
        {
            int g = Array.IndexOf(groups, group);
            var scatter = plot.Add.ScatterLine(x, y, palette.GetColor(g));
            scatter.LineWidth = 1.5f;
            if (lines.First(l => l.Group == group).X == x)
                scatter.LegendText = group;
            var start = plot.Add.Marker(x[0], y[0], MarkerShape.FilledCircle, 6, Colors.Black);
            start.LegendText = "";
        }

        if (equalAxes)
            plot.Axes.SquareUnits();
        plot.ShowLegend();
        Save(plot, path);
    }

    /// <summary>Overlaid histograms of several samples over the same bins.</summary>
    public static void Histogram(string path, string title, string xLabel, IReadOnlyList<(string Name, double[] Values)> samples, double min, double max, int bins)
    {
        var plot = New(title, xLabel, "share of samples");
        var palette = new ScottPlot.Palettes.Category10();
        double width = (max - min) / bins;
        for (int s = 0; s < samples.Count; s++)
        {
            var counts = new double[bins];
            foreach (var v in samples[s].Values)
                counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
            double total = Math.Max(1, samples[s].Values.Length);
            var bars = Enumerable.Range(0, bins).Select(b => new Bar
            {
                Position = min + (b + 0.5) * width,
                Value = counts[b] / total,
                Size = width * (samples.Count > 1 ? 0.9 / samples.Count : 0.9),
                FillColor = palette.GetColor(s).WithAlpha(0.75),
                LineWidth = 0,
            }).ToArray();
            if (samples.Count > 1)
            {
                foreach (var bar in bars)
                    bar.Position += (s - (samples.Count - 1) / 2.0) * width * 0.9 / samples.Count;
            }

            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = samples[s].Name;
        }

        plot.ShowLegend();
        Save(plot, path);
    }

    /// <summary>
    /// Success rates (0..1) per category with their 95% intervals as error bars, one bar colour per series
    /// (e.g. tasks x policies).
    /// </summary>
    public static void RatesWithIntervals(string path, string title, IReadOnlyList<string> categories,
        IReadOnlyList<(string Series, double[] Rate, double[] Low, double[] High)> series)
    {
        var plot = New(title, "", "success rate (95% interval)");
        var palette = new ScottPlot.Palettes.Category10();
        double group = 0.8 / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var (name, rate, low, high) = series[s];
            double[] x = Enumerable.Range(0, categories.Count).Select(c => c - 0.4 + group * (s + 0.5)).ToArray();
            var bars = plot.Add.Bars(x.Select((xc, c) => new Bar { Position = xc, Value = rate[c], Size = group * 0.9, FillColor = palette.GetColor(s), LineWidth = 0 }).ToArray());
            bars.LegendText = name;
            for (int c = 0; c < x.Length; c++)
            {
                // The interval as a whisker with caps.
                double cap = group * 0.2;
                foreach (var (x1, y1, x2, y2) in new[] { (x[c], low[c], x[c], high[c]), (x[c] - cap, low[c], x[c] + cap, low[c]), (x[c] - cap, high[c], x[c] + cap, high[c]) })
                {
                    var line = plot.Add.Line(x1, y1, x2, y2);
                    line.Color = Colors.Black;
                    line.LineWidth = 1.5f;
                }
            }
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(c => (double)c).ToArray(), categories.ToArray());
        plot.Axes.SetLimitsY(0, 1.05);
        // Below the axes: inside, it would cover bars (rates reach both the bottom and the top of the range).
        plot.ShowLegend(Edge.Bottom);
        Save(plot, path);
    }

    /// <summary>Curves y(x), one colour and legend entry each (e.g. posterior densities of success rates).</summary>
    public static void Curves(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Name, double[] X, double[] Y)> curves)
    {
        var plot = New(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        for (int c = 0; c < curves.Count; c++)
        {
            var line = plot.Add.ScatterLine(curves[c].X, curves[c].Y, palette.GetColor(c));
            line.LineWidth = 2;
            line.LegendText = curves[c].Name;
        }

        plot.ShowLegend();
        Save(plot, path);
    }

    /// <summary>
    /// Score curves against an alarm threshold: one line per curve coloured by its group (legend), the threshold as a
    /// dashed line, and a cross where a curve alarmed. Infinite scores (a monitor's "bad input" alarm) are drawn at
    /// the top of the finite range.
    /// </summary>
    public static void ScoreCurves(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Group, double[] X, double[] Y, int? Alarm)> curves, double threshold, string thresholdLabel)
    {
        var plot = New(title, xLabel, yLabel);
        var groups = curves.Select(c => c.Group).Distinct().ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var finite = curves.SelectMany(c => c.Y).Where(double.IsFinite).DefaultIfEmpty(threshold).ToArray();
        double top = Math.Max(finite.Max(), threshold), bottom = Math.Min(finite.Min(), threshold);
        foreach (var group in groups)
        {
            bool first = true;
            foreach (var (_, x, y, alarm) in curves.Where(c => c.Group == group))
            {
                if (x.Length == 0)
                    continue;
                var shown = y.Select(v => double.IsFinite(v) ? v : double.IsNegativeInfinity(v) ? bottom : top).ToArray();
                var color = palette.GetColor(Array.IndexOf(groups, group));
                var line = plot.Add.ScatterLine(x, shown, color);
                line.LineWidth = 1.5f;
                line.LegendText = first ? group : "";
                first = false;
                if (alarm is int a && a >= 0 && a < x.Length)
                {
                    var mark = plot.Add.Marker(x[a], shown[a], MarkerShape.Cross, 12, color);
                    mark.LegendText = "";
                }
            }
        }

        var limit = plot.Add.HorizontalLine(threshold, 1.5f, Colors.Black, LinePattern.Dashed);
        limit.LegendText = thresholdLabel;
        plot.ShowLegend();
        Save(plot, path);
    }

    /// <summary>
    /// A grid of values in [0, 1] (rows x columns, e.g. policies x tasks), coloured and written in each cell; NaN
    /// cells (not run) stay blank.
    /// </summary>
    public static void Heatmap(string path, string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double[,] values)
    {
        var plot = New(title, "", "");
        // ScottPlot draws row 0 at the top of the image.
        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        heat.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heat);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                if (double.IsNaN(values[r, c]))
                    continue;
                var text = plot.Add.Text(values[r, c].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), c, rows.Count - 1 - r);
                text.LabelFontColor = values[r, c] > 0.6 ? Colors.Black : Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 14;
            }
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, columns.Count).Select(c => (double)c).ToArray(), columns.ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(r => (double)(rows.Count - 1 - r)).ToArray(), rows.ToArray());
        Save(plot, path);
    }

    private static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    private static void Save(Plot plot, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $".tmp-{Environment.ProcessId}.png";
        plot.SavePng(temp, Width, Height);
        File.Move(temp, full, overwrite: true);
    }
}
