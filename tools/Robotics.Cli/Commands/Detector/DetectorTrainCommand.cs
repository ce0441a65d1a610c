using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Detector;

/// <summary>
/// <c>robotics detector train --corpus FILE --out DIR</c>: SAFE's protocol on a feature corpus: task split, grid search
/// of SAFE-MLP and SAFE-LSTM selected on val_seen ROC-AUC, conformal band on successful val_seen rollouts; the
/// checkpoint stores the band, the split and the policy's feature layout.
/// </summary>
public static class DetectorTrainCommand
{
    private static readonly Option<string[]> Corpus = new("--corpus") { Description = "Feature corpus file(s) from detector collect (same policy).", Required = true, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> Out = new("--out") { Description = "Detector checkpoint folder.", Required = true };
    private static readonly Option<string> Grid = new("--grid") { Description = "paper (lr x lambda x 3 seeds, both kinds) or small (one config per kind).", DefaultValueFactory = _ => "paper" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Training epochs per configuration (default: 100 paper, 60 small)." };
    private static readonly Option<double> Alpha = new("--alpha") { Description = "False-alarm rate allowed on successful rollouts (conformal).", DefaultValueFactory = _ => 0.05 };
    private static readonly Option<double> UnseenShare = new("--unseen-share") { Description = "Share of tasks held out as val_unseen (SAFE: 0.3; 0 keeps every task seen, for a detector deployed on its training tasks).", DefaultValueFactory = _ => TaskSplit.DefaultUnseenShare };
    private static readonly Option<long> SplitSeed = new("--split-seed") { Description = "Seed of the seen/unseen task split and the calibration split.", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var command = new Command("train", "Train and calibrate a SAFE detector on a feature corpus (grid search on val_seen, conformal band).");
        foreach (var option in new Option[] { Corpus, Out, Grid, Epochs, Alpha, SplitSeed, UnseenShare })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var (rollouts, layout) = LoadCorpora(parse.GetValue(Corpus)!);
            TorchRuntime.Initialize(context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName));
            double alpha = parse.GetValue(Alpha), unseenShare = parse.GetValue(UnseenShare);
            if (!(unseenShare >= 0 && unseenShare < 1))
                throw new CommandLineException($"--unseen-share {unseenShare}: must lie in [0, 1).");
            var options = parse.GetValue(Grid) switch
            {
                "paper" => DetectorTrainingOptions.Paper(alpha, parse.GetValue(SplitSeed), parse.GetValue(Epochs) ?? 100, unseenShare),
                "small" => DetectorTrainingOptions.Small(alpha, parse.GetValue(SplitSeed), parse.GetValue(Epochs) ?? 60, unseenShare),
                var other => throw new CommandLineException($"--grid '{other}' is not paper or small."),
            };
            DetectorTraining.Result result;
            try
            {
                result = await context.WithProgressAsync("detector grid", progress => Task.Run(() => DetectorTraining.Train(rollouts, options, progress, context.CancellationToken), context.CancellationToken));
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            using var detector = result.Detector;
            DetectorCheckpoint.Save(parse.GetValue(Out)!, detector, new DetectorCheckpointExtras(layout, result.Calibration.ToJson()));
            var table = new Table().AddColumns("kind", "lr", "lambda", "seed", "val_seen ROC-AUC", "seconds");
            foreach (var e in result.Grid.Entries.OrderByDescending(e => e.ValRocAuc).Take(12))
                table.AddRow(e.Options.Kind, $"{e.Options.LearningRate:g3}", $"{e.Options.Lambda:g3}", $"{e.Options.Seed}", $"{e.ValRocAuc:0.000}", $"{e.Elapsed.TotalSeconds:0.0}");
            context.Console.Write(table);
            var best = result.Grid.BestEntry;
            context.Console.MarkupLineInterpolated($"best: {best.Options.Kind} lr {best.Options.LearningRate:g3} lambda {best.Options.Lambda:g3} seed {best.Options.Seed}: val_seen ROC-AUC {best.ValRocAuc:0.000} ({result.Grid.Entries.Count} configurations); unseen tasks [[{string.Join(", ", result.Split.UnseenTasks)}]]");
            context.Console.MarkupLineInterpolated($"band calibrated at alpha {alpha} on {result.Calibration.CalibrationRollouts} successful val_seen rollouts; wrote {parse.GetValue(Out)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The rollouts of one or more corpora of the same policy (their feature layouts must agree).</summary>
    public static (IReadOnlyList<FeatureRollout> Rollouts, string Layout) LoadCorpora(IReadOnlyList<string> paths)
    {
        var all = new List<FeatureRollout>();
        string? layout = null;
        foreach (string path in paths)
        {
            IReadOnlyList<FeatureRollout> rollouts;
            IReadOnlyDictionary<string, string> metadata;
            try
            {
                (rollouts, metadata) = FeatureCorpusFile.Read(path);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw new CommandLineException(e.Message);
            }

            string here = metadata.GetValueOrDefault("feature_layout") ?? throw new CommandLineException($"{path}: no metadata/feature_layout");
            if (layout is not null && layout != here)
                throw new CommandLineException($"{path}: feature layout differs from {paths[0]}'s; a detector reads one policy's features");
            layout = here;
            // Ids must be unique across corpora (each corpus numbers its own rollouts).
            all.AddRange(rollouts.Select(r => r with { Id = $"{Path.GetFileName(path)}:{r.Id}" }));
        }

        return (all, layout!);
    }
}
