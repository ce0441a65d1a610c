using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Robotics.Core.IO;
using Robotics.Evaluation.Store;
using Robotics.Plots;
using Robotics.Statistics;

namespace Robotics.Evaluation.Reports;

/// <summary>
/// Writes a sweep report folder: <c>summary.json</c> (every number, and the input of <c>sweep check</c>),
/// <c>report.md</c>, a self-contained <c>report.html</c> (plots embedded) and PNG plots: success per task with
/// intervals for each environment and condition, posterior densities of each policy's success rate, a policy x
/// task heat map and the latency histogram.
/// </summary>
public static class SweepReportWriter
{
    public const string SummaryFile = "summary.json", MarkdownFile = "report.md", HtmlFile = "report.html";

    /// <summary>NaN stays NaN (an interval of one episode has none); it is written as the string "NaN".</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <returns>The files written (relative to <paramref name="output"/>).</returns>
    public static IReadOnlyList<string> Write(SweepSummary summary, IReadOnlyList<SweepRecord> records, string output)
    {
        Directory.CreateDirectory(output);
        var plots = new List<(string File, string Caption)>();
        foreach (var group in summary.Cells.GroupBy(c => (c.Environment, c.Condition)))
        {
            var cells = group.ToArray();
            var tasks = cells.Select(c => c.Task!.Value).Distinct().Order().ToArray();
            var policies = cells.Select(c => c.Policy).Distinct().ToArray();
            string file = $"success-{Slug(group.Key.Environment)}-{Slug(group.Key.Condition)}.png";
            Figure.RatesWithIntervals(Path.Combine(output, file), $"{group.Key.Environment}, {group.Key.Condition}: success per task (95% Wilson)",
                tasks.Select(t => $"task {t}").ToArray(),
                policies.Select(p =>
                {
                    var row = tasks.Select(t => cells.FirstOrDefault(c => c.Policy == p && c.Task == t)).ToArray();
                    return (p, row.Select(c => c?.Rate ?? 0).ToArray(), row.Select(c => c?.Wilson.Low ?? 0).ToArray(), row.Select(c => c?.Wilson.High ?? 0).ToArray());
                }).ToArray());
            plots.Add((file, $"Success per task, {group.Key.Environment} / {group.Key.Condition}"));

            string heat = $"heatmap-{Slug(group.Key.Environment)}-{Slug(group.Key.Condition)}.png";
            var values = new double[policies.Length, tasks.Length];
            for (int p = 0; p < policies.Length; p++)
            {
                for (int t = 0; t < tasks.Length; t++)
                    values[p, t] = cells.FirstOrDefault(c => c.Policy == policies[p] && c.Task == tasks[t])?.Rate ?? double.NaN;
            }

            Figure.Heatmap(Path.Combine(output, heat), $"{group.Key.Environment}, {group.Key.Condition}: success rate, policy x task", policies, tasks.Select(t => $"{t}").ToArray(), values);
            plots.Add((heat, $"Policy x task heat map, {group.Key.Environment} / {group.Key.Condition}"));
        }

        foreach (var group in summary.Policies.GroupBy(p => (p.Environment, p.Condition)))
        {
            string file = $"posterior-{Slug(group.Key.Environment)}-{Slug(group.Key.Condition)}.png";
            double[] x = Enumerable.Range(0, 401).Select(i => i / 400.0).ToArray();
            Figure.Curves(Path.Combine(output, file), $"{group.Key.Environment}, {group.Key.Condition}: posterior of the success rate (uniform prior)",
                "success rate", "density",
                group.Select(p => ($"{p.Policy} ({p.Successes}/{p.Episodes})", x, x.Select(v => Safe(p.Posterior.Density(v))).ToArray())).ToArray());
            plots.Add((file, $"Posterior densities, {group.Key.Environment} / {group.Key.Condition}"));
        }

        var latency = records.GroupBy(r => r.Policy).Select(g => (g.Key, g.Select(r => r.Result.MeanInferenceMs).ToArray())).ToArray();
        double max = Math.Max(1e-3, latency.SelectMany(l => l.Item2).DefaultIfEmpty(1).Max() * 1.05);
        Figure.Histogram(Path.Combine(output, "latency.png"), "policy latency per call (episode means)", "ms per call", latency, 0, max, 30);
        plots.Add(("latency.png", "Policy latency per call"));

        AtomicFile.WriteAllText(Path.Combine(output, SummaryFile), JsonSerializer.Serialize(summary, Json));
        string markdown = Markdown(summary, plots);
        AtomicFile.WriteAllText(Path.Combine(output, MarkdownFile), markdown);
        AtomicFile.WriteAllText(Path.Combine(output, HtmlFile), Html(summary, plots, output));
        return [SummaryFile, MarkdownFile, HtmlFile, .. plots.Select(p => p.File)];
    }

    public static SweepSummary ReadSummary(string path) =>
        JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty summary");

    private static double Safe(double v) => double.IsFinite(v) ? v : 0;

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());

    private static string F(double v, string format = "0.000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A detectable difference in points; NaN means not even a jump to 100% would be detected.</summary>
    public static string Points(double difference) => double.IsFinite(difference) ? $"{100 * difference:0} points" : "no difference (too few episodes to detect even a rise to 100%)";

    private static string I(Interval i) => $"[{F(i.Low)}, {F(i.High)}]";

    private static string Markdown(SweepSummary s, IReadOnlyList<(string File, string Caption)> plots)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Sweep `{s.Plan}`: {s.Episodes} episodes").AppendLine();
        md.AppendLine("Success rates with 95% Wilson and exact Clopper-Pearson intervals and the 95% credible interval of the Beta(1+s, 1+f) posterior. " +
                      "Letters: policies sharing a letter are not significantly different (Fisher's exact test, Holm-corrected, 5%).").AppendLine();
        md.AppendLine("## Policies (pooled over tasks)").AppendLine();
        md.AppendLine("| environment | condition | policy | episodes | success | Wilson 95% | Clopper-Pearson 95% | posterior 95% | normalised score | ms/call | letters |");
        md.AppendLine("|---|---|---|---:|---:|---|---|---|---|---:|---|");
        foreach (var p in s.Policies)
        {
            string letters = s.Comparisons.FirstOrDefault(c => c.Environment == p.Environment && c.Condition == p.Condition)?.Letters.GetValueOrDefault(p.Policy) ?? "a";
            string score = p.NormalizedScore is double ns ? $"{F(ns, "0.0")} [{F(p.NormalizedInterval!.Value.Low, "0.0")}, {F(p.NormalizedInterval.Value.High, "0.0")}]" : "-";
            md.AppendLine($"| {p.Environment} | {p.Condition} | {p.Policy} | {p.Episodes} | {F(p.Rate)} | {I(p.Wilson)} | {I(p.ClopperPearson)} | {I(p.Credible)} | {score} | {F(p.MeanInferenceMs, "0.00")} | {letters} |");
        }

        md.AppendLine().AppendLine("## Pairwise comparisons").AppendLine();
        md.AppendLine("| environment | condition | A | B | success A | success B | Fisher p | Holm p | P(A > B) | different |");
        md.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var c in s.Comparisons)
        {
            for (int i = 0; i < c.Pairs.Count; i++)
            {
                var p = c.Pairs[i];
                md.AppendLine($"| {c.Environment} | {c.Condition} | {p.A} | {p.B} | {F(p.RateA)} | {F(p.RateB)} | {F(p.PValue, "0.0000")} | {F(p.AdjustedPValue, "0.0000")} | {F(c.ProbabilityFirstBetter[i])} | {(p.Different ? "yes" : "no")} |");
            }
        }

        var a = s.Advice;
        md.AppendLine().AppendLine("## How sure can this sweep be").AppendLine();
        md.AppendLine($"Around the observed mean success rate ({F(a.ReferenceRate, "0.00")}), a two-sided test at 5% with 80% power tells apart " +
                      $"a difference of {Points(a.DetectablePerCell)} with {a.EpisodesPerCell} episodes per cell and {Points(a.DetectablePerPolicy)} " +
                      $"with {a.EpisodesPerPolicy} episodes per policy (pooled over tasks). A 10-point difference needs {a.EpisodesFor10Points} episodes per arm.").AppendLine();
        md.AppendLine("## Cells").AppendLine();
        md.AppendLine("| policy | environment | task | condition | episodes | success | Wilson 95% | mean return | steps |");
        md.AppendLine("|---|---|---:|---|---:|---:|---|---:|---:|");
        foreach (var c in s.Cells)
            md.AppendLine($"| {c.Policy} | {c.Environment} | {c.Task} | {c.Condition} | {c.Episodes} | {F(c.Rate)} | {I(c.Wilson)} | {F(c.MeanReturn, "0.00")} | {F(c.MeanSteps, "0")} |");
        md.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (var (file, caption) in plots)
            md.AppendLine($"![{caption}]({file})").AppendLine();
        return md.ToString();
    }

    /// <summary>The Markdown's tables as HTML with every plot embedded, so the page can be mailed or archived alone.</summary>
    private static string Html(SweepSummary s, IReadOnlyList<(string File, string Caption)> plots, string output)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode($"Sweep {s.Plan}")).Append("</title>");
        html.Append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}td:nth-child(-n+3){text-align:left}img{max-width:100%}</style></head><body>");
        bool inTable = false;
        foreach (string line in Markdown(s, []).Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.All(c => c.Trim(':').All(ch => ch == '-')))
                    continue;
                html.Append(inTable ? "<tr>" : "<table><tr>");
                string tag = inTable ? "td" : "th";
                foreach (var cell in cells)
                    html.Append($"<{tag}>{WebUtility.HtmlEncode(cell)}</{tag}>");
                html.Append("</tr>");
                inTable = true;
                continue;
            }

            if (inTable)
            {
                html.Append("</table>");
                inTable = false;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal)) html.Append("<h1>").Append(WebUtility.HtmlEncode(line[2..])).Append("</h1>");
            else if (line.StartsWith("## ", StringComparison.Ordinal)) html.Append("<h2>").Append(WebUtility.HtmlEncode(line[3..])).Append("</h2>");
            else if (line.Trim().Length > 0) html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        if (inTable)
            html.Append("</table>");
        foreach (var (file, caption) in plots)
        {
            string data = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(output, file)));
            html.Append($"<figure><img alt=\"{WebUtility.HtmlEncode(caption)}\" src=\"data:image/png;base64,{data}\"><figcaption>{WebUtility.HtmlEncode(caption)}</figcaption></figure>");
        }

        return html.Append("</body></html>").ToString();
    }
}
