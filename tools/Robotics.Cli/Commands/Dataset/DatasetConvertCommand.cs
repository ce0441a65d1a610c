using System.CommandLine;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Formats;

namespace Robotics.Cli.Commands.Dataset;

/// <summary><c>robotics dataset convert IN OUT --to FORMAT</c>: through the flat layout; the output appears atomically.</summary>
public static class DatasetConvertCommand
{
    public static Command Create()
    {
        var input = DatasetArguments.Input();
        var output = new Argument<string>("output") { Description = "Output file (d4rl, robomimic) or folder (minari, lerobot)." };
        var from = DatasetArguments.Format();
        var to = new Option<string>("--to") { Description = $"Output format: {string.Join(", ", DatasetFormats.Default.All.Select(f => f.Name))}.", Required = true };
        var command = new Command("convert", "Convert between D4RL, Minari, robomimic and LeRobot v3.0 (state-based).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetHandler(async (context, parse) =>
        {
            string source = parse.GetValue(input)!;
            string target = parse.GetValue(output)!;
            var reader = DatasetArguments.Resolve(source, parse.GetValue(from));
            var writer = DatasetArguments.Named(parse.GetValue(to)!);
            var rows = await context.WithProgressAsync($"convert {reader.Name} -> {writer.Name}", progress => Task.Run(() =>
            {
                var ct = context.CancellationToken;
                var dataset = reader is D4rlFormat ? D4rlHdf5Reader.Read(source, ct, progress) : Read(reader, source, progress, ct);
                progress.Report(new("write", 0, 1, writer.Name));
                writer.Write(target, dataset, ct);
                progress.Report(new("write", 1, 1, writer.Name));
                return dataset.RowCount;
            }));
            context.Console.MarkupLineInterpolated($"wrote {target} ({writer.Name}, {rows:N0} rows)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Robotics.Datasets.Trajectories.FlatDataset Read(IDatasetFormat reader, string path, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        progress.Report(new("read", 0, 1, reader.Name));
        var dataset = reader.Read(path, ct);
        progress.Report(new("read", 1, 1, reader.Name));
        return dataset;
    }
}
