using System.Globalization;
using System.Text;
using System.Text.Json;
using Robotics.Core.IO;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Plots;

namespace Robotics.Detectors.Torch.Pipeline;

/// <summary>
/// A detector evaluation folder: report.md and report.json (every method on val_seen and val_unseen with intervals,
/// false-alarm rates) and PNGs on the headline split (val_unseen; val_seen for a detector with every task seen): ROC
/// curves, the SAFE score curves of successful and failed rollouts against the conformal band, and SAFE's
/// detection-time histogram.
/// </summary>
public static class DetectorEvaluationWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IReadOnlyList<string> Write(DetectorEvaluation.Outcome outcome, string output, string title)
    {
        Directory.CreateDirectory(output);
        var unseen = outcome.HeadlineRollouts;
        string split = outcome.HeadlineSplit, slug = split.Replace('_', '-');
        var files = new List<string> { "report.md", "report.json" };

        var roc = outcome.Methods.Where(m => unseen.Any(r => r.Failed) && unseen.Any(r => r.Success)).Select(m =>
        {
            var scores = DetectionMetrics.ProtocolScores(unseen, m.HeadlineCurves);
            var (x, y) = RocPoints(scores, unseen.Select(r => r.Failed).ToArray());
            return ($"{m.Method} ({DetectionMetrics.RocAuc(scores, unseen.Select(r => r.Failed).ToArray()):0.00})", x, y);
        }).ToArray();
        if (roc.Length > 0)
        {
            Figure.Curves(Path.Combine(output, $"roc-{slug}.png"), $"{title}: ROC on {split} (AUC)", "false-positive rate", "true-positive rate", roc);
            files.Add($"roc-{slug}.png");
        }

        var safe = outcome.Methods[0];
        var lines = new List<(string, double[], double[])>();
        foreach (var (rollout, curve) in unseen.Zip(safe.HeadlineCurves).Take(24))
            lines.Add((rollout.Failed ? "failed" : "successful", Enumerable.Range(0, curve.Length).Select(t => (double)t).ToArray(), curve));
        int length = Math.Max(1, unseen.Length == 0 ? 1 : unseen.Max(r => r.Calls));
        lines.Add(("conformal band", Enumerable.Range(0, length).Select(t => (double)t).ToArray(), Enumerable.Range(0, length).Select(safe.Band.BandAt).ToArray()));
        Figure.Paths(Path.Combine(output, $"scores-{slug}.png"), $"{title}: {safe.Method} scores on {split}, band at alpha {safe.Band.Alpha}",
            "policy call", "score", lines, equalAxes: false);
        files.Add($"scores-{slug}.png");

        var times = DetectionMetrics.AlarmTimes(unseen, safe.HeadlineCurves, safe.Band);
        var detection = unseen.Select((r, i) => (r, t: times[i])).Where(p => p.r.Failed).Select(p => p.t ?? 1.0).ToArray();
        if (detection.Length > 0)
        {
            Figure.Histogram(Path.Combine(output, "detection-time.png"), $"{title}: {safe.Method} detection time on failed {split} rollouts (1 = missed)",
                "first alarm / episode length", [(safe.Method, detection)], 0, 1.0001, 20);
            files.Add("detection-time.png");
        }

        AtomicFile.WriteAllText(Path.Combine(output, "report.json"), JsonSerializer.Serialize(new
        {
            title,
            seenTasks = outcome.Split.SeenTasks,
            unseenTasks = outcome.Split.UnseenTasks,
            rollouts = new { train = outcome.Split.Train.Length, valSeen = outcome.Split.ValSeen.Length, valUnseen = outcome.Split.ValUnseen.Length },
            methods = outcome.Methods.Select(m => new { m.Method, alpha = m.Band.Alpha, m.Reports, m.HeldOutSuccesses, m.FalseAlarms, m.FalseAlarmInterval }),
        }, Json));
        AtomicFile.WriteAllText(Path.Combine(output, "report.md"), Markdown(outcome, title, files));
        return files;
    }

    private static (double[] X, double[] Y) RocPoints(double[] scores, bool[] failed)
    {
        int p = failed.Count(f => f), n = failed.Length - p;
        var order = scores.Select((s, i) => (s, f: failed[i])).OrderByDescending(x => x.s).ToArray();
        var x = new List<double> { 0 };
        var y = new List<double> { 0 };
        int tp = 0, fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (order[i].f) tp++; else fp++;
            if (i == order.Length - 1 || order[i + 1].s != order[i].s)
            {
                x.Add(n == 0 ? 0 : fp / (double)n);
                y.Add(p == 0 ? 0 : tp / (double)p);
            }
        }

        return (x.ToArray(), y.ToArray());
    }

    private static string F(double v, string format = "0.000") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Markdown(DetectorEvaluation.Outcome outcome, string title, IReadOnlyList<string> files)
    {
        var md = new StringBuilder();
        var s = outcome.Split;
        md.AppendLine($"# Failure detection: {title}").AppendLine();
        md.AppendLine($"Tasks seen [{string.Join(", ", s.SeenTasks)}], unseen [{string.Join(", ", s.UnseenTasks)}]; rollouts: train {s.Train.Length}, " +
                      $"val_seen {s.ValSeen.Length}, val_unseen {s.ValUnseen.Length} ({s.ValUnseen.Count(r => r.Failed)} failed). " +
                      "ROC-AUC / PR-AUC of the running-max score up to each task's shortest rollout; at-threshold metrics against each method's " +
                      "functional conformal band calibrated on successful val_seen rollouts; detection time = first alarm / episode length over " +
                      "failures (a miss counts 1). Brackets: stratified bootstrap 95% intervals.").AppendLine();
        md.AppendLine("| method | split | n (failed) | ROC-AUC | PR-AUC | TPR | TNR | balanced acc. | F1 | detection time |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var m in outcome.Methods)
        {
            foreach (var r in m.Reports)
            {
                var t = r.AtThreshold;
                md.AppendLine($"| {m.Method} | {r.Split} | {r.Rollouts} ({r.Failures}) | {F(r.RocAuc)} [{F(r.RocAucInterval.Lower)}, {F(r.RocAucInterval.Upper)}] | {F(r.PrAuc)} | " +
                              $"{F(t.Tpr)} | {F(t.Tnr)} | {F(t.BalancedAccuracy)} | {F(t.F1)} | {F(t.MeanDetectionTime)} |");
            }
        }

        md.AppendLine().AppendLine("## False alarms on held-out successful rollouts (val_unseen) against alpha").AppendLine();
        if (s.ValUnseen.Length == 0)
            md.AppendLine("Every task is seen (trained with --unseen-share 0): no held-out tasks here; the val_seen rows above " +
                          "are in-sample for model selection and calibration. Measure false alarms on fresh rollouts.").AppendLine();
        md.AppendLine("| method | alpha | successful rollouts | false alarms | rate (Clopper-Pearson 95%) |");
        md.AppendLine("|---|---:|---:|---:|---|");
        foreach (var m in outcome.Methods.Where(_ => s.ValUnseen.Length > 0))
            md.AppendLine($"| {m.Method} | {m.Band.Alpha} | {m.HeldOutSuccesses} | {m.FalseAlarms} | {F(m.HeldOutSuccesses == 0 ? double.NaN : m.FalseAlarms / (double)m.HeldOutSuccesses)} [{F(m.FalseAlarmInterval.Low)}, {F(m.FalseAlarmInterval.High)}] |");
        md.AppendLine().AppendLine("## Plots").AppendLine();
        foreach (var f in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            md.AppendLine($"![{f}]({f})").AppendLine();
        return md.ToString();
    }
}
