using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Pipeline;
using Spectre.Console;

namespace Robotics.Cli.Commands.Detector;

/// <summary><c>robotics detector inspect DIR</c>: what a detector checkpoint holds, without loading its weights.</summary>
public static class DetectorInspectCommand
{
    private static readonly Argument<string> Folder = new("detector") { Description = "Detector checkpoint folder." };

    public static Command Create()
    {
        var command = new Command("inspect", "Show a detector checkpoint: kind, options, parameters, feature layout, calibration.");
        command.Arguments.Add(Folder);
        command.SetHandler((context, parse) =>
        {
            DetectorManifest manifest;
            try
            {
                manifest = DetectorCheckpoint.LoadManifest(parse.GetValue(Folder)!);
            }
            catch (InvalidDataException e)
            {
                throw new CommandLineException(e.Message);
            }

            var table = new Table().AddColumns("field", "value");
            table.AddRow("kind", manifest.Kind);
            table.AddRow("options", Markup.Escape(manifest.Options.ToJsonString()));
            table.AddRow("parameters", $"{manifest.ParameterCount:N0}");
            table.AddRow("features", $"{manifest.FeatureDimension}");
            table.AddRow("feature layout", Markup.Escape(manifest.FeatureLayout));
            if (manifest.Calibration is not null)
            {
                var c = DetectorCalibration.FromJson(manifest.Calibration, parse.GetValue(Folder)!);
                table.AddRow("calibration", $"alpha {c.Band.Alpha}, h {c.Band.H:0.###}, {c.Band.Band.Length} calls, {c.CalibrationRollouts} successful val_seen rollouts");
                table.AddRow("split", Markup.Escape($"seed {c.SplitSeed}, unseen tasks [{string.Join(", ", c.UnseenTasks)}]"));
            }

            context.Console.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
