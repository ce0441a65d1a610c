using System.CommandLine;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Datasets.Transforms;

namespace Robotics.Cli.Commands.Dataset;

/// <summary><c>robotics dataset split PATH --out-dir DIR</c>: whole episodes into train and valid, seeded.</summary>
public static class DatasetSplitCommand
{
    public static Command Create()
    {
        var input = DatasetArguments.Input();
        var format = DatasetArguments.Format();
        var outDir = new Option<string>("--out-dir") { Description = "Folder for train.* and valid.*.", Required = true };
        var train = new Option<double>("--train") { Description = "Fraction of episodes for training (0..1).", DefaultValueFactory = _ => 0.9 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the episode shuffle.", DefaultValueFactory = _ => 0UL };
        var to = new Option<string?>("--to") { Description = "Output format (default: the input's)." };
        var command = new Command("split", "Split by whole episodes into train and valid parts (seeded, deterministic).");
        command.Arguments.Add(input);
        command.Options.Add(format);
        command.Options.Add(outDir);
        command.Options.Add(train);
        command.Options.Add(seed);
        command.Options.Add(to);
        command.SetHandler(async (context, parse) =>
        {
            string source = parse.GetValue(input)!;
            var reader = DatasetArguments.Resolve(source, parse.GetValue(format));
            var writer = parse.GetValue(to) is { } name ? DatasetArguments.Named(name) : reader;
            double fraction = parse.GetValue(train);
            if (!(fraction > 0 && fraction < 1))
                throw new CommandLineException($"--train {fraction} must be strictly between 0 and 1.");
            string dir = parse.GetValue(outDir)!;
            // Minari folders are named by their dataset id, name-vN.
            string extension = writer.Name is "d4rl" or "robomimic" ? ".hdf5" : writer.Name == "minari" ? "-v0" : "";
            var (trainEpisodes, validEpisodes) = await context.WithProgressAsync("split", progress => Task.Run(() =>
            {
                var ct = context.CancellationToken;
                progress.Report(new("read", 0, 1));
                var dataset = reader.Read(source, ct);
                progress.Report(new("read", 1, 1));
                var split = EpisodeSplit.Split(dataset, fraction, parse.GetValue(seed));
                progress.Report(new("write", 0, 2));
                writer.Write(Path.Combine(dir, "train" + extension), split.Train, ct);
                progress.Report(new("write", 1, 2));
                writer.Write(Path.Combine(dir, "valid" + extension), split.Valid, ct);
                progress.Report(new("write", 2, 2));
                return (split.TrainEpisodes, split.ValidEpisodes);
            }));
            context.Console.MarkupLineInterpolated($"train: {trainEpisodes} episodes, valid: {validEpisodes} episodes -> {dir}");
            return ExitCodes.Success;
        });
        return command;
    }
}
