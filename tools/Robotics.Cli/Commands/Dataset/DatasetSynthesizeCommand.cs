using System.CommandLine;
using System.Diagnostics;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Benchmarks;
using Robotics.Datasets.Hdf5;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset synthesize --rows N --out F</c>: a locomotion-shaped synthetic D4RL corpus of any size, made
/// and written block by block (memory does not grow with N), for scale tests of convert and train.
/// </summary>
public static class DatasetSynthesizeCommand
{
    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Rows (transitions) to write.", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the corpus.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string>("--out", "-o") { Description = "Output HDF5 file.", Required = true };
        var command = new Command("synthesize", "Write a synthetic D4RL corpus (17-D observations, 6-D actions, qpos/qvel) of any size, block by block.");
        command.Options.Add(rows);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.SetHandler(async (context, parse) =>
        {
            long n = parse.GetValue(rows);
            if (n < 1)
                throw new CommandLineException($"--rows {n} must be at least 1.");
            string path = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            using var source = new SyntheticD4rlSource(n, parse.GetValue(seed));
            await context.WithProgressAsync($"synthesize {n:N0} rows", progress => Task.Run(() =>
            {
                D4rlHdf5StreamWriter.Write(path, source, progress: progress, cancellationToken: context.CancellationToken);
                return 0;
            }, context.CancellationToken)).ConfigureAwait(false);
            long bytes = source.Columns.Sum(c => (long)c.RowBytes) * n;
            context.Console.MarkupLineInterpolated($"wrote {path}: {n:N0} rows, {bytes / 1048576.0:F1} MiB of row data ({new FileInfo(path).Length / 1048576.0:F1} MiB on disk) in {clock.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Success;
        });
        return command;
    }
}
