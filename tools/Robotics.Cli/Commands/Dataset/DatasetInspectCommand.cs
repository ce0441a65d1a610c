using System.CommandLine;
using System.Globalization;
using Robotics.Cli.Hosting;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary><c>robotics dataset inspect PATH</c>: format, columns, metadata and an episode summary.</summary>
public static class DatasetInspectCommand
{
    public static Command Create()
    {
        var path = DatasetArguments.Input();
        var format = DatasetArguments.Format();
        var command = new Command("inspect", "Show a dataset's format, columns (dtype, shape), metadata and episodes.");
        command.Arguments.Add(path);
        command.Options.Add(format);
        command.SetHandler(async (context, parse) =>
        {
            string input = parse.GetValue(path)!;
            var reader = DatasetArguments.Resolve(input, parse.GetValue(format));
            using var source = await context.WithProgressAsync("open", progress =>
            {
                progress.Report(new("open", 0, 1, reader.Name));
                var opened = reader.OpenSource(input, context.CancellationToken);
                progress.Report(new("open", 1, 1, reader.Name));
                return Task.FromResult(opened);
            });
            var console = context.Console;
            console.MarkupLineInterpolated($"[bold]{input}[/]: {reader.Name} ({source.RowCount:N0} rows)");
            var columns = new Table().AddColumns("key", "dtype", "shape");
            foreach (var column in source.Columns)
                columns.AddRow(Markup.Escape(column.Key), column.DType.ToNumpy(), $"(N{string.Concat(column.RowShape.Select(d => $", {d}"))})");
            console.Write(columns);

            var metadata = Metadata(source);
            if (metadata.Count > 0)
            {
                var table = new Table().AddColumns("metadata", "value");
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    string text = value.ToString();
                    table.AddRow(Markup.Escape(key), Markup.Escape(text.Length > 120 ? text[..117] + "..." : text));
                }

                console.Write(table);
            }

            if (source.HasColumn(D4rlKeys.Terminals))
            {
                var episodes = source.Episodes();
                var lengths = episodes.Select(e => e.Length).DefaultIfEmpty(0).ToArray();
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"episodes: {episodes.Count:N0} (terminated {episodes.Count(e => e.Terminated):N0}, timed out {episodes.Count(e => e.TimedOut && !e.Terminated):N0}, unfinished {episodes.Count(e => !e.Finished):N0}); length min {lengths.Min()} / mean {lengths.Average():F1} / max {lengths.Max()}");
                if (source.HasColumn(D4rlKeys.Success) && episodes.Count > 0)
                {
                    bool[] success = source.ReadFlags(D4rlKeys.Success);
                    double rate = episodes.Count(e => success[e.End - 1]) / (double)episodes.Count;
                    console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"success rate: {rate:P1}");
                }

                if (source.HasColumn(D4rlKeys.TaskIndex) && episodes.Count > 0)
                {
                    var tasks = episodes.Select(e => TaskOf(source, e.Start)).GroupBy(t => t).OrderBy(g => g.Key);
                    console.MarkupLineInterpolated($"episodes per task: {string.Join(", ", tasks.Select(g => $"{g.Key}: {g.Count()}"))}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static long TaskOf(ITrajectorySource source, long row)
    {
        var value = new float[1];
        source.ReadRowsAsFloats(D4rlKeys.TaskIndex, row, 1, value);
        return (long)value[0];
    }

    private static IReadOnlyDictionary<string, MetadataValue> Metadata(ITrajectorySource source) => source switch
    {
        Hdf5TrajectoryFile file => file.MetadataKeys.ToDictionary(k => k, file.ReadMetadata),
        FlatDatasetSource flat => flat.Dataset.Metadata,
        Robotics.Datasets.Formats.LeRobot.LeRobotTrajectorySource lerobot => lerobot.Metadata,
        _ => new Dictionary<string, MetadataValue>(),
    };
}
