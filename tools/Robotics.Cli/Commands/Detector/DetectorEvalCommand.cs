using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Baselines;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Detector;

/// <summary>
/// <c>robotics detector eval --detector DIR --corpus FILE --out REPORT</c>: SAFE and the baselines on the detector's
/// split: ROC/PR-AUC, at-threshold metrics, detection time, false alarms vs alpha; Markdown, JSON and PNG plots.
/// </summary>
public static class DetectorEvalCommand
{
    private static readonly Option<string> Detector = new("--detector") { Description = "Detector checkpoint folder (detector train).", Required = true };
    private static readonly Option<string[]> Corpus = new("--corpus") { Description = "The feature corpus file(s) the detector was trained on.", Required = true, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> Out = new("--out") { Description = "Report folder.", Required = true };
    private static readonly Option<string> Baselines = new("--baselines") { Description = "'all', 'none' or comma-separated baseline names.", DefaultValueFactory = _ => "all" };
    private static readonly Option<int> Resamples = new("--resamples") { Description = "Bootstrap resamples for the intervals.", DefaultValueFactory = _ => 1000 };

    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a SAFE detector against the baselines on its split; writes report.md/json and plots.");
        foreach (var option in new Option[] { Detector, Corpus, Out, Baselines, Resamples })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var (rollouts, layout) = DetectorTrainCommand.LoadCorpora(parse.GetValue(Corpus)!);
            TorchRuntime.Initialize(context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName));
            LoadedDetector loaded;
            try
            {
                loaded = DetectorCheckpoint.Load(parse.GetValue(Detector)!, expectedFeatureLayout: layout);
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            using var scorer = loaded.Scorer;
            var calibration = DetectorCalibration.FromJson(loaded.Manifest.Calibration, parse.GetValue(Detector)!);
            int actionDim = ActionDim(layout, rollouts);
            bool hasSamples = rollouts.All(r => r.SampledChunks is not null);
            bool hasChunks = rollouts.All(r => r.ExecutedChunks is not null);
            var baselines = parse.GetValue(Baselines) switch
            {
                "none" => [],
                "all" => BaselineRegistry.All(actionDim).Where(b => (hasSamples || !b.Name.StartsWith("sample-", StringComparison.Ordinal)) && (hasChunks || b.Name != "stac")).ToArray(),
                var list => list!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => BaselineRegistry.Create(n, actionDim)).ToArray(),
            };
            DetectorEvaluation.Outcome outcome;
            try
            {
                outcome = await context.WithProgressAsync("detector eval", progress => Task.Run(() =>
                    DetectorEvaluation.Run(scorer, calibration, rollouts, baselines, parse.GetValue(Resamples), progress, context.CancellationToken), context.CancellationToken));
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            var files = DetectorEvaluationWriter.Write(outcome, parse.GetValue(Out)!, $"{loaded.Manifest.Kind} on {string.Join(", ", parse.GetValue(Corpus)!.Select(Path.GetFileName))}");
            // SAFE's headline split is val_unseen; a detector trained with every task seen (--unseen-share 0) has only val_seen.
            string split = outcome.Methods.Any(m => m.Reports.Any(x => x.Split == "val_unseen")) ? "val_unseen" : "val_seen";
            var table = new Table().AddColumns("method", $"{split} ROC-AUC", "PR-AUC", "TPR", "TNR", "detect", "false alarms");
            foreach (var m in outcome.Methods)
            {
                var r = m.Reports.FirstOrDefault(x => x.Split == split);
                table.AddRow(m.Method, r is null ? "-" : Markup.Escape($"{r.RocAuc:0.000} [{r.RocAucInterval.Lower:0.00}, {r.RocAucInterval.Upper:0.00}]"), r is null ? "-" : $"{r.PrAuc:0.000}",
                    r is null ? "-" : $"{r.AtThreshold.Tpr:0.00}", r is null ? "-" : $"{r.AtThreshold.Tnr:0.00}", r is null ? "-" : $"{r.AtThreshold.MeanDetectionTime:0.00}",
                    $"{m.FalseAlarms}/{m.HeldOutSuccesses}");
            }

            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"wrote {files.Count} files to {parse.GetValue(Out)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The action width: a recorded chunk's length over the horizon named in the policy's feature layout.</summary>
    private static int ActionDim(string layout, IReadOnlyList<Robotics.Detectors.Data.FeatureRollout> rollouts)
    {
        var horizon = System.Text.RegularExpressions.Regex.Match(layout, @"horizon=(\d+)");
        var chunk = rollouts.FirstOrDefault(r => r.ExecutedChunks is { Length: > 0 })?.ExecutedChunks![0];
        return horizon.Success && chunk is not null ? chunk.Length / int.Parse(horizon.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
    }
}
