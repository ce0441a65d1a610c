using System.Globalization;
using System.Text.Json.Nodes;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// LeRobot folders: reads v3.0 and v2.1 (<see cref="LeRobotReader"/>), writes v3.0 (<see cref="LeRobotWriter"/>).
/// Mapping: observation.state = observations, action = actions, next.reward = rewards (absent when the
/// recording has none: no rewards column is invented), task_index = infos/task_index, episode_index =
/// infos/episode_index, timestamp = infos/timestamp, frame_index = infos/frame_index, tasks =
/// metadata/task_instructions, fps = metadata/fps; other features = infos/&lt;feature&gt; with their dtype and
/// shape; images and videos = infos/&lt;feature&gt; as (N, H, W, 3) uint8; string and language features =
/// metadata/lerobot_rows/&lt;feature&gt; (one string per row); terminals / timeouts per <see cref="LeRobotDone"/>.
/// </summary>
public static class LeRobotDataset
{
    public const string CodebaseVersion = "v3.0";
    public const string DataPath = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";

    /// <summary>The frame rate of a dataset in the flat layout (a scalar number or text), used by the writer.</summary>
    public const string FpsMetadataKey = "metadata/fps";

    /// <summary>Per-row text of string and language features, one string per row, under this prefix + feature name.</summary>
    public const string RowsMetadataPrefix = "metadata/lerobot_rows/";

    public static bool Looks(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, "meta", "info.json"));

    /// <param name="fps">The frame rate; null takes it from the dataset's metadata (<see cref="FpsOf"/>) and refuses when unknown.</param>
    public static void Write(string folder, FlatDataset dataset, double? fps = null, CancellationToken cancellationToken = default) =>
        Write(folder, dataset, new LeRobotWriteOptions { Fps = fps }, cancellationToken);

    /// <summary>Writes with upstream's file-size limits and chunk size taken from <paramref name="options"/>.</summary>
    public static void Write(string folder, FlatDataset dataset, LeRobotWriteOptions options, CancellationToken cancellationToken = default)
    {
        using var source = new FlatDatasetSource(dataset);
        WriteSource(folder, source, options, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Writes from a source one episode at a time (its row group, stats and video frames), the same folder as
    /// <see cref="Write(string, FlatDataset, LeRobotWriteOptions, CancellationToken)"/>; only the per-row index columns
    /// (episode and task index, terminals, timeouts, a recorded timestamp) are read whole.
    /// </summary>
    public static void WriteSource(string folder, ITrajectorySource source, LeRobotWriteOptions options, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        LeRobotWriter.Write(folder, source, options, progress, cancellationToken);

    public static FlatDataset Read(string folder, CancellationToken cancellationToken = default) => Read(folder, null, cancellationToken);

    public static FlatDataset Read(string folder, LeRobotReadOptions? options, CancellationToken cancellationToken = default) =>
        LeRobotReader.Read(folder, options ?? new LeRobotReadOptions(), cancellationToken);

    /// <summary>The frame rate recorded with a dataset: metadata/fps, else the fps of a LeRobot source's info.json; null when unknown.</summary>
    public static double? FpsOf(FlatDataset dataset) => FpsOf(dataset.Metadata);

    /// <summary>The frame rate recorded in a source's metadata (see <see cref="FpsOf(FlatDataset)"/>).</summary>
    public static double? FpsOf(ITrajectorySource source)
    {
        // Only the two keys fps can come from: other values may be costly to make (a LeRobot source's video records).
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        foreach (string key in new[] { FpsMetadataKey, "metadata/lerobot_info" })
        {
            if (source.Metadata(key) is { } value)
                metadata[key] = value;
        }

        return FpsOf(metadata);
    }

    /// <summary>The frame rate recorded in metadata (see <see cref="FpsOf(FlatDataset)"/>).</summary>
    public static double? FpsOf(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        if (metadata.TryGetValue(FpsMetadataKey, out var value))
        {
            if (value.IsText && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
                return parsed;
            if (value.Array is { ElementCount: 1 } array)
                return array.DType == DType.Float64 ? array.AsSpan<double>()[0] : array.ToFloats()[0];
        }

        if (metadata.TryGetValue("metadata/lerobot_info", out var info) && info.IsText
            && JsonNode.Parse(info.Text)?["fps"] is JsonValue fps && fps.TryGetValue(out double rate))
            return rate;
        return null;
    }
}
