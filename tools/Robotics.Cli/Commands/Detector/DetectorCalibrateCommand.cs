using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Detector;

/// <summary>
/// <c>robotics detector calibrate --detector DIR --corpus FILE [--alpha A] [--on val-seen|successes]</c>: a new
/// functional conformal band for a trained detector without retraining it: at another alpha on the successful val_seen
/// rollouts of its own split, or on every successful rollout of fresh corpora (e.g. collected on the deployment scene).
/// Rewrites the checkpoint atomically (or writes a copy with --out).
/// </summary>
public static class DetectorCalibrateCommand
{
    private static readonly Option<string> Detector = new("--detector") { Description = "Detector checkpoint folder (detector train).", Required = true };
    private static readonly Option<string[]> Corpus = new("--corpus") { Description = "Feature corpus file(s) of the detector's policy.", Required = true, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<double> Alpha = new("--alpha") { Description = "False-alarm rate allowed on successful rollouts.", DefaultValueFactory = _ => 0.05 };
    private static readonly Option<string> On = new("--on") { Description = "val-seen: the successful val_seen rollouts of the detector's own split (the corpora it was trained on); successes: every successful rollout of the corpora (fresh data).", DefaultValueFactory = _ => "val-seen" };
    private static readonly Option<string?> Out = new("--out") { Description = "Write the recalibrated checkpoint here instead of in place." };

    public static Command Create()
    {
        var command = new Command("calibrate", "Recalibrate a detector's conformal band (another alpha, or fresh successful rollouts) without retraining.");
        foreach (var option in new Option[] { Detector, Corpus, Alpha, On, Out })
            command.Options.Add(option);
        command.SetHandler((context, parse) =>
        {
            string folder = parse.GetValue(Detector)!;
            double alpha = parse.GetValue(Alpha);
            if (!(alpha > 0 && alpha < 1))
                throw new CommandLineException($"--alpha {alpha}: must lie in (0, 1).");
            var (rollouts, layout) = DetectorTrainCommand.LoadCorpora(parse.GetValue(Corpus)!);
            TorchRuntime.Initialize(context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName));
            LoadedDetector loaded;
            DetectorCalibration previous;
            try
            {
                loaded = DetectorCheckpoint.Load(folder, expectedFeatureLayout: layout);
                previous = DetectorCalibration.FromJson(loaded.Manifest.Calibration, folder);
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            using var scorer = loaded.Scorer;
            DetectorCalibration calibration;
            try
            {
                calibration = parse.GetValue(On) switch
                {
                    "val-seen" => DetectorTraining.Calibrate(scorer, TaskSplit.Create(rollouts, previous.SplitSeed, previous.UnseenShare), alpha, previous.SplitSeed, previous.UnseenShare),
                    "successes" => DetectorTraining.CalibrateOn(scorer, rollouts, alpha, previous.SplitSeed, previous.UnseenTasks, previous.UnseenShare, "corpus"),
                    var other => throw new CommandLineException($"--on '{other}' is not val-seen or successes."),
                };
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            string target = parse.GetValue(Out) ?? folder;
            DetectorCheckpoint.Save(target, scorer, new DetectorCheckpointExtras(loaded.Manifest.FeatureLayout, calibration.ToJson()));
            var band = calibration.Band;
            context.Console.MarkupLineInterpolated(
                $"band at alpha {alpha} (was {previous.Band.Alpha}) on {calibration.CalibrationRollouts} successful rollouts (was {previous.CalibrationRollouts}): delta at call 0 {band.BandAt(0):g4}, at call {band.Band.Length - 1} {band.BandAt(band.Band.Length - 1):g4}; wrote {target}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
