using System.Runtime.InteropServices;
using Apache.Arrow;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Reads a LeRobot v3.0 or v2.1 folder into the flat layout. Parquet files are read row group by row
/// group and only the requested columns are touched; every numeric feature keeps its dtype and shape
/// (shape (1,) is one value per row, as upstream maps it to a scalar); string features and language
/// annotations become per-row text under metadata/lerobot_rows/&lt;feature&gt; (language rows as JSON);
/// image features are decoded to (N, H, W, 3) uint8; video features are decoded at
/// from_timestamp + timestamp of each row within tolerance_s (see <see cref="LeRobotVideo"/>).
/// Episode ends: see <see cref="LeRobotDone"/>.
/// </summary>
internal static class LeRobotReader
{
    private static readonly HashSet<string> AlwaysRead = [FeatureKeys.EpisodeIndex, FeatureKeys.Timestamp, FeatureKeys.FrameIndex, "index"];

    public static FlatDataset Read(string folder, LeRobotReadOptions options, CancellationToken cancellationToken)
    {
        var info = LeRobotInfo.Load(folder);
        var episodes = LeRobotEpisodes.Load(folder, info);
        if (episodes.Count == 0)
            throw new DatasetFormatException(folder, "meta/episodes", "lists no episodes");
        var files = episodes.Select(e => e.DataPath).Distinct().ToArray();
        foreach (string file in files)
        {
            if (!File.Exists(file))
                throw new DatasetFormatException(file, null, "data file missing (named by the episodes metadata)");
        }

        var selected = info.Features.Where(f => options.Features is null || options.Features.Contains(f.Name) || AlwaysRead.Contains(f.Name)).ToArray();
        var unread = info.Features.Except(selected).Select(f => f.Name).ToArray();
        var tabular = selected.Where(f => !f.IsVideo).ToArray();
        long total = 0;
        foreach (string file in files)
        {
            var present = ParquetBatches.Columns(file);
            foreach (var feature in tabular)
            {
                if (!present.Contains(feature.Name))
                    throw new DatasetFormatException(file, feature.Name, "declared in info.json but missing from the data file");
            }

            total += ParquetBatches.RowCount(file);
        }

        int n = checked((int)total);
        var sinks = tabular.ToDictionary(f => f.Name, f => ColumnSink.For(f, n, info.Path, folder));
        int cursor = 0;
        foreach (string file in files)
        {
            int batchRows = tabular.Any(f => f.IsImage) ? ParquetBatches.ImageBatchRows : ParquetBatches.BatchRows;
            foreach (var batch in ParquetBatches.Read(file, sinks.Keys, batchRows, cancellationToken))
            {
                foreach (var (name, sink) in sinks)
                {
                    try
                    {
                        sink.Append(batch.Column(name), cursor, batch.Length);
                    }
                    catch (Exception e) when (e is InvalidDataException or InvalidCastException or ArgumentException)
                    {
                        throw new DatasetFormatException(file, name, $"{e.Message} (rows from {cursor})", e);
                    }
                }

                cursor += batch.Length;
            }
        }

        if (cursor != n)
            throw new DatasetFormatException(folder, "data", $"the parquet footers count {n} rows but {cursor} were read");

        var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["metadata/lerobot_info"] = MetadataValue.FromText(info.Raw.ToJsonString()),
            [LeRobotDataset.FpsMetadataKey] = MetadataValue.FromArray(new NdArray(DType.Float64, [], BitConverter.GetBytes(info.Fps))),
        };
        foreach (var (name, sink) in sinks)
        {
            if (name == "index")
                continue; // the row number of the concatenated files; our rows carry it by position
            switch (sink)
            {
                case NumericSink numeric:
                    columns[FlatKey(name)] = numeric.ToArray();
                    break;
                case ImageSink image:
                    columns[FlatKey(name)] = image.ToArray();
                    break;
                case TextSink text:
                    metadata[LeRobotDataset.RowsMetadataPrefix + name] = MetadataValue.FromStrings(text.Values.Select(v => v ?? ""));
                    break;
            }
        }

        long[] episodeOfRow = columns.TryGetValue(D4rlKeys.EpisodeIndex, out var ep)
            ? ep.AsSpan<long>().ToArray()
            : throw new DatasetFormatException(info.Path, FeatureKeys.EpisodeIndex, "feature missing; rows cannot be assigned to episodes");
        foreach (var feature in selected.Where(f => f.IsVideo))
        {
            float[] timestamps = columns.TryGetValue(FlatKey(FeatureKeys.Timestamp), out var ts) && ts.DType == DType.Float32
                ? ts.AsSpan<float>().ToArray()
                : throw new DatasetFormatException(info.Path, FeatureKeys.Timestamp, "a float32 timestamp feature is needed to decode videos");
            var (frames, streams) = VideoColumn(feature, episodes, episodeOfRow, timestamps, options.ToleranceS, cancellationToken);
            columns[FlatKey(feature.Name)] = frames;
            if (Source(feature, episodes, episodeOfRow, (start, rows) => LeRobotVideoSource.Hash(frames, start, rows), streams) is { } source)
                metadata[LeRobotVideoSource.MetadataPrefix + feature.Name] = source.ToMetadata();
        }

        var (terminals, timeouts, rule) = LeRobotDone.Derive(columns, episodeOfRow);
        columns[D4rlKeys.Terminals] = terminals;
        columns[D4rlKeys.Timeouts] = timeouts;
        metadata["metadata/lerobot_done_rule"] = MetadataValue.FromText(rule);
        var tasks = LeRobotEpisodes.Tasks(folder, info);
        if (tasks.Count > 0)
            metadata[D4rlKeys.TaskInstructions] = MetadataValue.FromStrings(Enumerable.Range(0, (int)tasks.Keys.Max() + 1).Select(i => tasks.TryGetValue(i, out var t) ? t : ""));
        if (unread.Length > 0)
            metadata["metadata/lerobot_unread_features"] = MetadataValue.FromStrings(unread);
        return new FlatDataset(columns, metadata);
    }

    /// <summary>The flat-layout key of a LeRobot feature.</summary>
    public static string FlatKey(string feature) => feature switch
    {
        FeatureKeys.State => D4rlKeys.Observations,
        FeatureKeys.Action => D4rlKeys.Actions,
        FeatureKeys.Reward => D4rlKeys.Rewards,
        FeatureKeys.TaskIndex => D4rlKeys.TaskIndex,
        FeatureKeys.EpisodeIndex => D4rlKeys.EpisodeIndex,
        _ => D4rlKeys.InfosPrefix + feature.Replace('/', '.'),
    };

    /// <summary>
    /// What a LeRobot write needs to copy this feature's encoded streams: per episode (in row order) its
    /// source file, from/to timestamps (v2.1: 0 and the file's duration, as upstream's converter takes them)
    /// and a hash of its decoded frames (<paramref name="hash"/>(first row, rows)). Null when an episode's rows are not contiguous.
    /// </summary>
    internal static LeRobotVideoSource? Source(LeRobotFeature feature, IReadOnlyList<LeRobotEpisode> episodes, long[] episodeOfRow, Func<int, int, string> hash, IReadOnlyDictionary<string, LeRobotVideo.StreamInfo> streams)
    {
        var byIndex = episodes.ToDictionary(e => e.Index);
        var seen = new HashSet<long>();
        var result = new List<LeRobotVideoSource.Episode>();
        int start = 0;
        for (int row = 1; row <= episodeOfRow.Length; row++)
        {
            if (row < episodeOfRow.Length && episodeOfRow[row] == episodeOfRow[start])
                continue;
            if (!seen.Add(episodeOfRow[start]))
                return null;
            var span = byIndex[episodeOfRow[start]].Videos[feature.Name];
            double to = span.ToTimestamp ?? span.FromTimestamp + streams[span.Path].Duration;
            result.Add(new LeRobotVideoSource.Episode(Path.GetFullPath(span.Path), span.FromTimestamp, to, row - start, hash(start, row - start)));
            start = row;
        }

        return new LeRobotVideoSource(result);
    }

    private static (NdArray Frames, IReadOnlyDictionary<string, LeRobotVideo.StreamInfo> Streams) VideoColumn(LeRobotFeature feature, IReadOnlyList<LeRobotEpisode> episodes, long[] episodeOfRow, float[] timestamps, double tolerance, CancellationToken cancellationToken)
    {
        var index = LeRobotVideoIndex.Build(feature, episodes, episodeOfRow, timestamps, tolerance, cancellationToken);
        var (height, width) = ImageSize(feature);
        int frameBytes = height * width * 3;
        var data = new byte[(long)episodeOfRow.Length * frameBytes];
        var rowsOfFrame = index.Paths.Select(_ => new Dictionary<int, List<int>>()).ToArray();
        for (int row = 0; row < episodeOfRow.Length; row++)
        {
            var targets = rowsOfFrame[index.FileOfRow[row]];
            if (!targets.TryGetValue(index.FrameOfRow[row], out var rows))
                targets[index.FrameOfRow[row]] = rows = [];
            rows.Add(row);
        }

        for (int id = 0; id < index.Paths.Length; id++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var targets = rowsOfFrame[id];
            try
            {
                LeRobotVideo.Decode(index.Paths[id], index.Streams[id], targets.Keys.ToHashSet(), (frame, pixels) =>
                {
                    foreach (int row in targets[frame])
                        pixels.Span.CopyTo(data.AsSpan((int)((long)row * frameBytes), frameBytes));
                }, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(index.Paths[id], feature.Name, e.Message, e);
            }
        }

        var streams = new Dictionary<string, LeRobotVideo.StreamInfo>(StringComparer.Ordinal);
        for (int id = 0; id < index.Paths.Length; id++)
            streams[index.Paths[id]] = index.Streams[id];
        return (new NdArray(DType.UInt8, [episodeOfRow.Length, height, width, 3], data), streams);
    }

    /// <summary>Height and width of an image or video feature; info.json's names say whether the shape is (H, W, C) or (C, H, W).</summary>
    internal static (int Height, int Width) ImageSize(LeRobotFeature feature)
    {
        if (feature.Shape.Length != 3)
            throw new DatasetFormatException(feature.Name, "shape", $"an image or video feature needs 3 dimensions, has [{string.Join(", ", feature.Shape)}]");
        var names = (feature.Raw["names"] as System.Text.Json.Nodes.JsonArray)?.Select(n => n?.ToString()).ToArray();
        return names is ["channels", ..] || (names is null && feature.Shape[0] is 1 or 3 && feature.Shape[2] > 4)
            ? (feature.Shape[1], feature.Shape[2])
            : (feature.Shape[0], feature.Shape[1]);
    }

    /// <summary>Accumulates one feature's rows from successive Arrow batches.</summary>
    private abstract class ColumnSink
    {
        public abstract void Append(IArrowArray? column, int start, int rows);

        public static ColumnSink For(LeRobotFeature feature, int rows, string origin, string folder)
        {
            if (feature.IsLanguage)
                return new TextSink(rows, json: true);
            if (feature.IsString)
                return new TextSink(rows, json: false);
            if (feature.IsImage)
                return new ImageSink(feature, rows, folder);
            var dtype = feature.Numeric ?? throw new DatasetFormatException(origin, $"features.{feature.Name}.dtype", $"'{feature.DType}' is not a dtype this reader knows");
            return new NumericSink(feature, dtype, rows);
        }
    }

    private sealed class NumericSink(LeRobotFeature feature, DType dtype, int rows) : ColumnSink
    {
        private readonly byte[] _data = new byte[(long)rows * feature.Width * dtype.ByteSize()];
        private bool? _list;

        public override void Append(IArrowArray? column, int start, int count)
        {
            if (column is null)
                throw new InvalidDataException("column missing from this batch");
            _list ??= column is ListArray or LargeListArray or FixedSizeListArray;
            int rowBytes = feature.Width * dtype.ByteSize();
            ArrowValues.CopyNumeric(column, dtype, feature.Width, _data.AsSpan(start * rowBytes, count * rowBytes));
        }

        public NdArray ToArray()
        {
            int rows = _data.Length / Math.Max(1, feature.Width * dtype.ByteSize());
            // Shape (1,) stored as a plain value is a scalar per row (datasets.Value), so (N,); stored as a
            // list of one it stays (N, 1). observations and actions keep (N, 1): the flat layout's
            // observation and action arrays always have a feature axis.
            bool vector = feature.Name is FeatureKeys.State or FeatureKeys.Action;
            int[] shape = feature.IsScalar && _list != true && !vector ? [rows] : [rows, .. feature.Shape];
            return new NdArray(dtype, shape, _data);
        }
    }

    private sealed class TextSink(int rows, bool json) : ColumnSink
    {
        public string?[] Values { get; } = new string?[rows];

        public override void Append(IArrowArray? column, int start, int count)
        {
            if (column is null)
                throw new InvalidDataException("column missing from this batch");
            for (int i = 0; i < count; i++)
                Values[start + i] = json ? ArrowValues.Json(column, i) : ArrowValues.String(column, i);
        }
    }

    /// <summary>datasets.Image columns: a struct of encoded bytes and a path; decoded to H x W x 3 uint8.</summary>
    private sealed class ImageSink(LeRobotFeature feature, int rows, string folder) : ColumnSink
    {
        private readonly (int Height, int Width) _size = ImageSize(feature);
        private byte[]? _data;

        private int FrameBytes => _size.Height * _size.Width * 3;

        public override void Append(IArrowArray? column, int start, int count)
        {
            _data ??= new byte[(long)rows * FrameBytes];
            if (column is not StructArray image)
                throw new InvalidDataException($"an image column is a struct of bytes and path, this one is {column?.Data.DataType.Name ?? "missing"}");
            var bytes = ArrowValues.Field(image, "bytes");
            var path = ArrowValues.Field(image, "path");
            for (int i = 0; i < count; i++)
            {
                int row = image.Offset + i;
                byte[]? encoded = bytes is null ? null : ArrowValues.Bytes(bytes, row);
                if (encoded is null)
                {
                    // Not embedded: datasets keeps a path, relative to the dataset root.
                    string? relative = path is null ? null : ArrowValues.String(path, row);
                    if (relative is null)
                        throw new InvalidDataException($"row {start + i}: image has neither bytes nor path");
                    encoded = File.ReadAllBytes(Path.Combine(folder, relative));
                }

                try
                {
                    LeRobotImages.DecodeRgb(encoded, _size.Height, _size.Width, _data.AsSpan((int)((long)(start + i) * FrameBytes), FrameBytes));
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"row {start + i}: {e.Message}", e);
                }
            }
        }

        public NdArray ToArray() => new(DType.UInt8, [rows, _size.Height, _size.Width, 3], _data ?? new byte[(long)rows * FrameBytes]);
    }
}
