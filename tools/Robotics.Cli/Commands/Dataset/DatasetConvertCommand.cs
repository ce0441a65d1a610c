using System.CommandLine;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Transforms;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset convert IN OUT --to FORMAT</c>: through the flat layout; the output appears
/// atomically. Missing rewards are never invented: a target that requires them (D4RL, robomimic)
/// is refused, naming the file and the key, unless <c>--fill-rewards V</c> asks for a constant,
/// which is then recorded as metadata/filled_rewards. <c>--max-episode-steps N</c> restores the
/// time-limit episode ends a D4RL v0 file does not record (see <see cref="TimeLimitSplit"/>).
/// </summary>
public static class DatasetConvertCommand
{
    public static Command Create()
    {
        var input = DatasetArguments.Input();
        var output = new Argument<string>("output") { Description = "Output file (d4rl, robomimic) or folder (minari, lerobot)." };
        var from = DatasetArguments.Format();
        var to = new Option<string>("--to") { Description = $"Output format: {string.Join(", ", DatasetFormats.Default.All.Select(f => f.Name))}.", Required = true };
        var maxSteps = new Option<int?>("--max-episode-steps")
        {
            Description = "Time limit of the source's environment: an episode running longer is cut every N rows (timeouts set there), as d4rl's readers do for v0 files without timeouts.",
        };
        var fillRewards = new Option<float?>("--fill-rewards")
        {
            Description = "For a source without rewards (e.g. a LeRobot recording) and a target that requires them (d4rl, robomimic): write this constant, recorded as metadata/filled_rewards.",
        };
        var fps = new Option<double?>("--fps")
        {
            Description = "Frame rate of the source in Hz, for a source that does not record it (D4RL, robomimic) converted to LeRobot, which needs it; recorded as metadata/fps.",
        };
        var command = new Command("convert", "Convert between D4RL, Minari, robomimic and LeRobot v3.0 (state-based).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(maxSteps);
        command.Options.Add(fillRewards);
        command.Options.Add(fps);
        command.SetHandler(async (context, parse) =>
        {
            string source = parse.GetValue(input)!;
            string target = parse.GetValue(output)!;
            int? limit = parse.GetValue(maxSteps);
            if (limit is < 1)
                throw new CommandLineException($"--max-episode-steps {limit} must be at least 1.");
            float? fill = parse.GetValue(fillRewards);
            if (fill is { } f && !float.IsFinite(f))
                throw new CommandLineException($"--fill-rewards {f} must be a finite number.");
            double? rate = parse.GetValue(fps);
            if (rate is { } hz && !(hz > 0 && double.IsFinite(hz)))
                throw new CommandLineException($"--fps {hz} must be a positive number of frames per second.");
            var reader = DatasetArguments.Resolve(source, parse.GetValue(from));
            var writer = DatasetArguments.Named(parse.GetValue(to)!);
            var notes = new List<string>();
            var rows = await context.WithProgressAsync($"convert {reader.Name} -> {writer.Name}", progress => Task.Run(() =>
            {
                var ct = context.CancellationToken;
                // A source read on demand (D4RL, LeRobot) converts block by block or episode by episode into a writer
                // that streams, so a corpus larger than memory converts; the other readers load whole first. Either
                // way the transforms are overlays on the source and one WriteSource writes it.
                var opened = reader.StreamsReads ? reader.OpenSource(source, ct) : new FlatDatasetSource(Read(reader, source, progress, ct), source);
                return Convert(opened, reader, writer, source, target, limit, fill, rate, notes, progress, ct);
            }));
            foreach (string note in notes)
                context.Console.MarkupLineInterpolated($"{note}");
            context.Console.MarkupLineInterpolated($"wrote {target} ({writer.Name}, {rows:N0} rows)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static InvalidDataException NoRewards(string source, IDatasetFormat reader, IDatasetFormat writer) => new(
        $"{source} ({reader.Name}) records no '{D4rlKeys.Rewards}' (as LeRobot recordings), and {writer.Name} requires '{D4rlKeys.Rewards}'. " +
        $"Nothing was written. Pass --fill-rewards VALUE to write a constant reward, recorded as {RewardFill.FilledRewardsKey}, or convert to a format that allows no rewards (lerobot).");

    /// <summary>
    /// The transforms as overlays on the source, then the writer. Rewards the source does not record stay unrecorded
    /// where the target allows it (LeRobot, where next.reward is optional); a target that requires them gets them only
    /// from an explicit --fill-rewards, and the fill is recorded in the output's metadata.
    /// </summary>
    private static long Convert(ITrajectorySource rows, IDatasetFormat reader, IDatasetFormat writer, string source, string target, int? limit, float? fill,
        double? rate, List<string> notes, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        try
        {
            if (limit is { } n)
            {
                (rows, int added) = TimeLimitSplit.Apply(rows, n);
                notes.Add($"--max-episode-steps {n}: {added} time-limit episode end(s) added");
            }

            if (rows.HasColumn(D4rlKeys.Rewards))
            {
                if (fill is not null)
                    notes.Add($"{source} records rewards; --fill-rewards was not applied");
            }
            else if (fill is { } value)
            {
                notes.Add($"{source} records no rewards: filled with {value} ({RewardFill.FilledRewardsKey} = {value})");
                rows = RewardFill.Apply(rows, value);
            }
            else if (writer.RequiredColumns.Contains(D4rlKeys.Rewards))
            {
                throw NoRewards(source, reader, writer); // a LeRobot recording to d4rl / robomimic
            }

            if (rate is { } frames)
            {
                // metadata/fps or a LeRobot source's info.json fps (LeRobotDataset.FpsOf).
                if (LeRobotDataset.FpsOf(rows) is { } recorded && Math.Abs(recorded - frames) > 1e-3)
                    throw new InvalidDataException($"{source} records {recorded} fps; --fps {frames} contradicts it (nothing was written).");
                rows = new OverlaySource(rows, metadata: [KeyValuePair.Create(LeRobotDataset.FpsMetadataKey, MetadataValue.FromArray(new NdArray(DType.Float64, [], BitConverter.GetBytes(frames))))]);
            }

            var missing = writer.RequiredColumns.Where(k => !rows.HasColumn(k)).ToArray();
            if (missing.Length > 0)
            {
                string hint = missing.Contains(D4rlKeys.Rewards) ? " Pass --fill-rewards VALUE to write a constant reward, recorded as " + RewardFill.FilledRewardsKey + "." : "";
                throw new InvalidDataException($"{source} ({reader.Name}) has no {string.Join(", ", missing.Select(k => $"'{k}'"))}, which {writer.Name} requires; nothing was written.{hint}");
            }

            writer.WriteSource(target, rows, progress, ct);
            return rows.RowCount;
        }
        finally
        {
            rows.Dispose();
        }
    }

    private static FlatDataset Read(IDatasetFormat reader, string path, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        progress.Report(new("read", 0, 1, reader.Name));
        var dataset = reader.Read(path, ct);
        progress.Report(new("read", 1, 1, reader.Name));
        return dataset;
    }
}
