using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Writes a v3.0 folder that lerobot's LeRobotDataset reads: info.json features declared as
/// feature_utils.get_hf_features_from_features maps them back (shape [1] is a plain parquet value,
/// shape [k] a list of k), every dtype kept, fps taken from the source, one row group per episode as
/// lerobot's writer does, meta/tasks.parquet with the task strings as the pandas index, meta/episodes
/// with data/chunk_index, data/file_index, dataset_from/to_index and per-episode stats/* columns, and
/// stats.json aggregated as aggregate_stats does (non-finite values as NaN / Infinity, not null).
/// Episodes come from infos/episode_index when present, else from terminals / timeouts.
/// next.done = terminated or truncated (upstream's meaning); next.truncated (lerobot's TRUNCATED key) keeps which.
/// <para>
/// Written from an <see cref="ITrajectorySource"/> one episode at a time: the per-row index columns (episode and
/// task index, terminals, timeouts, a recorded timestamp: about 22 bytes a row) are read whole, every other column
/// one episode at a time (its parquet row group, its stats, its video frames), and a camera's dataset stats from the
/// same at most 100 evenly spaced frames read one by one. So memory is one episode's rows and frames plus the index
/// columns, whatever the corpus size.
/// </para>
/// </summary>
internal static class LeRobotWriter
{
    /// <summary>Columns the writer fills itself; an infos/ column of the same name is not written twice.</summary>
    private static readonly HashSet<string> Own =
    [
        FeatureKeys.Timestamp, FeatureKeys.FrameIndex, FeatureKeys.EpisodeIndex, "index", FeatureKeys.TaskIndex, FeatureKeys.Done, LeRobotDone.Truncated,
    ];

    /// <summary>One episode's rows as the columns read them: the source columns' rows of the episode (row 0 = its first row).</summary>
    private sealed record EpisodeRows(EpisodeRange Episode, IReadOnlyDictionary<string, NdArray> Arrays);

    /// <summary>A parquet column: <see cref="Value"/> gives row t of an episode (t counted from the episode's start).</summary>
    private sealed record Column(string Feature, DType DType, int[] Shape, bool Scalar, Func<EpisodeRows, int, object> Value)
    {
        /// <summary>The source column the values come from (read one episode at a time); null for the columns the writer makes.</summary>
        public string? Key { get; init; }

        /// <summary>Set for camera frames too small for lerobot's AV1 encoder: written as datasets.Image (PNG bytes).</summary>
        public bool Frames { get; init; }

        /// <summary>Set for lerobot's language columns (a list of structs per row, language.py), rebuilt from their JSON rows.</summary>
        public bool Language { get; init; }

        /// <summary>For language columns: the inferred type of their tool_calls (null: strings).</summary>
        public LeRobotJsonShape? ToolCalls { get; init; }
    }

    /// <summary>A camera written as a video feature: (H, W, 3) uint8 rows of <see cref="Key"/>.</summary>
    private sealed record Video(string Feature, string Key, int[] RowShape);

    public static void Write(string folder, ITrajectorySource dataset, LeRobotWriteOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var metadata = dataset.MetadataKeys.Select(k => (Key: k, Value: dataset.Metadata(k)))
            .Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!, StringComparer.Ordinal);
        double rate = options.Fps ?? LeRobotDataset.FpsOf(metadata)
            ?? throw new ArgumentException("The frame rate of the source is unknown (no metadata/fps and no lerobot info.json): pass --fps.", nameof(options));
        if (!(rate > 0))
            throw new ArgumentException($"fps must be positive, got {rate.ToString(CultureInfo.InvariantCulture)}.", nameof(options));
        if (!(options.DataFilesSizeInMb > 0) || !(options.VideoFilesSizeInMb > 0) || options.ChunksSize < 1)
            throw new ArgumentException("data_files_size_in_mb, video_files_size_in_mb and chunks_size must be positive.", nameof(options));
        int chunksSize = options.ChunksSize;
        var episodes = Episodes(dataset);
        long n = dataset.RowCount;
        long[] tasks = dataset.HasColumn(D4rlKeys.TaskIndex) ? ReadLongs(dataset, D4rlKeys.TaskIndex) : new long[n];
        string[] instructions = metadata.TryGetValue(D4rlKeys.TaskInstructions, out var text) && text.IsText
            ? text.Strings!.ToArray()
            : Enumerable.Range(0, (int)(tasks.DefaultIfEmpty(0).Max() + 1)).Select(i => $"task {i}").ToArray();
        if (tasks.Any(t => t < 0 || t >= instructions.Length))
            throw new ArgumentException($"{D4rlKeys.TaskIndex} holds values outside 0..{instructions.Length - 1} (the task instructions).", nameof(dataset));

        bool[] terminals = dataset.HasColumn(D4rlKeys.Terminals) ? dataset.ReadFlags(D4rlKeys.Terminals) : new bool[n];
        bool[] timeouts = dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.ReadFlags(D4rlKeys.Timeouts) : new bool[n];
        string timestampKey = D4rlKeys.InfosPrefix + FeatureKeys.Timestamp;
        float[]? recordedTimestamps = dataset.HasColumn(timestampKey) && dataset.Column(timestampKey) is { DType: DType.Float32, RowShape.Count: 0 }
            ? ReadFloats(dataset, timestampKey)
            : null;
        var sourceFeatures = metadata.TryGetValue("metadata/lerobot_info", out var sourceInfo) && sourceInfo.IsText
            ? JsonNode.Parse(sourceInfo.Text)?["features"] as JsonObject
            : null;
        string? source(string feature) => sourceFeatures?[feature]?["dtype"]?.GetValue<string>();
        var columns = new List<Column>();
        var skipped = new List<string>();
        var videos = new List<Video>();
        void Add(string feature, string key)
        {
            var info = dataset.Column(key);
            int[] rowShape = [.. info.RowShape];
            // (N, H, W, 3) uint8 columns are camera frames: written as video features, as lerobot stores cameras.
            if (info.DType == DType.UInt8 && rowShape is [> 1, > 1, 3])
            {
                // SVT-AV1 needs at least 64 x 64 and yuv420p even sizes; smaller cameras go in as PNG images.
                if (rowShape[0] >= 64 && rowShape[1] >= 64 && rowShape[0] % 2 == 0 && rowShape[1] % 2 == 0)
                    videos.Add(new Video(feature, key, rowShape));
                else
                    columns.Add(new Column(feature, DType.UInt8, rowShape, false, (rows, t) => LeRobotImages.EncodePng(rows.Arrays[key], t)) { Key = key, Frames = true });
                return;
            }

            // datasets.Array2D .. Array5D (feature_utils.get_hf_features_from_features maps rank 2..5 to them):
            // nested lists, one level per dimension, shape declared as is. Upstream has no feature above rank 5.
            if (rowShape.Length is >= 2 and <= 5 && info.DType != DType.String)
            {
                columns.Add(new Column(feature, info.DType, rowShape, false, (rows, t) => ParquetRows.Nested(rows.Arrays[key], t, rowShape)) { Key = key });
                return;
            }

            if (info.DType == DType.String || rowShape.Length > 5)
            {
                skipped.Add(key);
                return;
            }

            bool scalar = rowShape.Length == 0 || rowShape is [1];
            int width = rowShape.Length == 0 ? 1 : rowShape[0];
            columns.Add(new Column(feature, info.DType, scalar ? [1] : rowShape, scalar, (rows, t) => ParquetRows.Value(rows.Arrays[key], t, width, scalar)) { Key = key });
        }

        if (dataset.HasColumn(D4rlKeys.Observations))
            Add(FeatureKeys.State, D4rlKeys.Observations);
        Add(FeatureKeys.Action, D4rlKeys.Actions);
        if (dataset.HasColumn(D4rlKeys.Rewards))
            Add(FeatureKeys.Reward, D4rlKeys.Rewards);
        columns.Add(new Column(FeatureKeys.Done, DType.Bool, [1], true, (rows, t) => terminals[rows.Episode.Start + t] || timeouts[rows.Episode.Start + t]));
        columns.Add(new Column(LeRobotDone.Truncated, DType.Bool, [1], true, (rows, t) => timeouts[rows.Episode.Start + t] && !terminals[rows.Episode.Start + t]));
        columns.Add(new Column(FeatureKeys.Timestamp, DType.Float32, [1], true, (rows, t) => recordedTimestamps?[rows.Episode.Start + t] ?? (float)(t / rate)));
        columns.Add(new Column(FeatureKeys.FrameIndex, DType.Int64, [1], true, (_, t) => (long)t));
        columns.Add(new Column(FeatureKeys.EpisodeIndex, DType.Int64, [1], true, (rows, _) => (long)rows.Episode.Index));
        columns.Add(new Column("index", DType.Int64, [1], true, (rows, t) => rows.Episode.Start + t));
        columns.Add(new Column(FeatureKeys.TaskIndex, DType.Int64, [1], true, (rows, t) => tasks[rows.Episode.Start + t]));
        foreach (string key in dataset.Columns.Select(c => c.Key).Where(k => k.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string feature = key[D4rlKeys.InfosPrefix.Length..].Replace('/', '.');
            if (key is D4rlKeys.TaskIndex or D4rlKeys.EpisodeIndex || Own.Contains(feature) || columns.Any(c => c.Feature == feature))
                continue;
            Add(feature, key);
        }

        foreach (var (key, value) in metadata.Where(m => m.Key.StartsWith(LeRobotDataset.RowsMetadataPrefix, StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            string feature = key[LeRobotDataset.RowsMetadataPrefix.Length..];
            bool language = source(feature) == "language" || feature is LeRobotLanguage.Persistent or LeRobotLanguage.Events;
            if (value.Strings is null || value.Strings.Count != n || columns.Any(c => c.Feature == feature))
            {
                skipped.Add(key);
                continue;
            }

            var strings = value.Strings;
            var toolCalls = language ? LeRobotLanguage.ToolCalls(strings) : null;
            columns.Add(language
                ? new Column(feature, DType.String, [1], true, (rows, t) => LeRobotLanguage.Rows(strings[checked((int)(rows.Episode.Start + t))], feature, toolCalls)) { Language = true, ToolCalls = toolCalls }
                : new Column(feature, DType.String, [1], true, (rows, t) => (ReadOnlyMemory<char>?)strings[checked((int)(rows.Episode.Start + t))].AsMemory()));
        }

        // Cameras whose frames are exactly those decoded from a LeRobot source are copied packet for packet
        // (lossless); the others are encoded, frame k of an episode at k / fps. Copies query the frames at the
        // source's own timestamps, encodes at frame_index / fps: both can hold only when those agree.
        var copies = videos.ToDictionary(v => v.Feature, v => recordedTimestamps is null ? null
            : LeRobotVideoSource.Of(metadata, v.Feature)?.Units(episode => ReadRows(dataset, v.Key, episode.Start, episode.Length), episodes));
        if (copies.Values.Any(u => u is null) && recordedTimestamps is not null && !OnFrameGrid(recordedTimestamps, episodes, rate))
        {
            foreach (string feature in copies.Keys)
                copies[feature] = null;
        }

        if (videos.Count > 0 && copies.Values.All(u => u is null))
            recordedTimestamps = null;
        var schema = new ParquetSchema(columns.Select(Field).ToArray());
        // Cameras with per-episode stats: image columns and videos, each (feature, source key).
        var cameras = columns.Where(c => c.Frames).Select(c => (c.Feature, Key: c.Key!)).Concat(videos.Select(v => (v.Feature, v.Key))).ToArray();
        var episodeStats = new List<Dictionary<string, LeRobotStats>>();
        var readKeys = columns.Where(c => c.Key is not null).Select(c => c.Key!).Distinct().ToArray();
        AtomicFolder.Write(folder, temp =>
        {
            var placements = new Dictionary<string, IReadOnlyList<LeRobotVideoFiles.Placement>>(StringComparer.Ordinal);
            string scratch = Path.Combine(temp, ".encode");
            foreach (var video in videos)
            {
                var units = copies[video.Feature] ?? LeRobotVideoFiles.Encode(Path.Combine(scratch, video.Feature),
                    episode => ReadRows(dataset, video.Key, episode.Start, episode.Length), episodes, rate, cancellationToken);
                placements[video.Feature] = LeRobotVideoFiles.Pack(temp, video.Feature, units, options.VideoFilesSizeInMb, chunksSize, cancellationToken);
            }

            if (Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
            var episodeRows = new List<IDictionary<string, object?>>();
            int fileIndex = 0;
            long rowsInFile = 0;
            string? path = null;
            foreach (var episode in episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Upstream's recorder rule (dataset_writer._save_episode_data): a new file when the current one's
                // size plus its average bytes per frame times this episode's frames reaches data_files_size_in_mb.
                // An episode is never split, so a file holds at least one whole episode.
                if (path is null || (rowsInFile > 0 && SizeInMb(path) * (1 + (double)episode.Length / rowsInFile) >= options.DataFilesSizeInMb))
                {
                    if (path is not null)
                        fileIndex++;
                    path = Path.Combine(temp, "data", $"chunk-{fileIndex / chunksSize:000}", $"file-{fileIndex % chunksSize:000}.parquet");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    rowsInFile = 0;
                }

                var slice = new EpisodeRows(episode, readKeys.ToDictionary(k => k, k => ReadRows(dataset, k, episode.Start, episode.Length), StringComparer.Ordinal));
                var rows = new List<IDictionary<string, object?>>(episode.Length);
                for (int t = 0; t < episode.Length; t++)
                {
                    var row = new Dictionary<string, object?>(columns.Count);
                    foreach (var c in columns)
                        row[c.Feature] = c.Value(slice, t);
                    rows.Add(row);
                }

                // One row group per episode, as lerobot's writer lays data files out.
                using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite))
                    ParquetSerializer.SerializeUntypedAsync(rows, schema, stream, new ParquetOptions { Append = rowsInFile > 0 }, null, cancellationToken).GetAwaiter().GetResult();
                rows = null; // the row group is on disk; its boxed values can go before the stats below

                var stats = columns.Where(HasStats).ToDictionary(c => c.Feature, c => LeRobotStats.Compute(Doubles(c, slice), episode.Length, c.Shape.Aggregate(1, (a, b) => a * b)));
                episodeStats.Add(stats);
                var meta = new Dictionary<string, object?>
                {
                    [FeatureKeys.EpisodeIndex] = (long)episode.Index,
                    // Parquet.Net 6 stripes string lists as ReadOnlyMemory<char>? elements.
                    ["tasks"] = tasks.AsSpan(checked((int)episode.Start), episode.Length).ToArray().Distinct().Select(t => (ReadOnlyMemory<char>?)instructions[t].AsMemory()).ToArray(),
                    ["length"] = (long)episode.Length,
                    ["data/chunk_index"] = (long)(fileIndex / chunksSize),
                    ["data/file_index"] = (long)(fileIndex % chunksSize),
                    ["dataset_from_index"] = episode.Start,
                    ["dataset_to_index"] = episode.End,
                    ["meta/episodes/chunk_index"] = 0L,
                    ["meta/episodes/file_index"] = 0L,
                };
                foreach (var video in videos)
                {
                    var place = placements[video.Feature][episodeRows.Count];
                    meta[$"videos/{video.Feature}/chunk_index"] = place.ChunkIndex;
                    meta[$"videos/{video.Feature}/file_index"] = place.FileIndex;
                    meta[$"videos/{video.Feature}/from_timestamp"] = place.FromTimestamp;
                    meta[$"videos/{video.Feature}/to_timestamp"] = place.ToTimestamp;
                }

                foreach (var (feature, s) in stats)
                {
                    meta[$"stats/{feature}/min"] = s.Min;
                    meta[$"stats/{feature}/max"] = s.Max;
                    meta[$"stats/{feature}/mean"] = s.Mean;
                    meta[$"stats/{feature}/std"] = s.Std;
                    meta[$"stats/{feature}/count"] = new[] { s.Count };
                    foreach (var (q, _) in LeRobotStats.QuantileLevels)
                        meta[$"stats/{feature}/{q}"] = s.Quantiles[q];
                }

                foreach (var (feature, key) in cameras)
                {
                    // Camera stats per episode in upstream's (3, 1, 1) shape, over pixels scaled to [0, 1].
                    var s = LeRobotStats.OfFrames(dataset, key, episode.Start, episode.Length);
                    static double[][][] Chw(double[] v) => v.Select(x => new[] { new[] { x } }).ToArray();
                    meta[$"stats/{feature}/min"] = Chw(s.Min);
                    meta[$"stats/{feature}/max"] = Chw(s.Max);
                    meta[$"stats/{feature}/mean"] = Chw(s.Mean);
                    meta[$"stats/{feature}/std"] = Chw(s.Std);
                    meta[$"stats/{feature}/count"] = new[] { s.Count };
                    foreach (var (q, _) in LeRobotStats.QuantileLevels)
                        meta[$"stats/{feature}/{q}"] = Chw(s.Quantiles[q]);
                }

                episodeRows.Add(meta);
                rowsInFile += episode.Length;
                progress?.Report(new ProgressUpdate("write", episode.End, n, $"episode {episode.Index}"));
            }

            string metaDir = Path.Combine(temp, "meta");
            Directory.CreateDirectory(Path.Combine(metaDir, "episodes", "chunk-000"));
            var episodeFields = new List<Field>
            {
                new DataField<long>(FeatureKeys.EpisodeIndex), new ListField("tasks", new DataField<string>("element")), new DataField<long>("length"),
                new DataField<long>("data/chunk_index"), new DataField<long>("data/file_index"), new DataField<long>("dataset_from_index"), new DataField<long>("dataset_to_index"),
                new DataField<long>("meta/episodes/chunk_index"), new DataField<long>("meta/episodes/file_index"),
            };
            foreach (var video in videos)
            {
                episodeFields.AddRange([
                    new DataField<long>($"videos/{video.Feature}/chunk_index"), new DataField<long>($"videos/{video.Feature}/file_index"),
                    new DataField<double>($"videos/{video.Feature}/from_timestamp"), new DataField<double>($"videos/{video.Feature}/to_timestamp"),
                ]);
            }

            foreach (var c in columns.Where(HasStats))
            {
                foreach (string stat in new[] { "min", "max", "mean", "std" }.Concat(LeRobotStats.QuantileLevels.Select(q => q.Key)))
                    episodeFields.Add(new ListField($"stats/{c.Feature}/{stat}", new DataField<double>("element")));
                episodeFields.Add(new ListField($"stats/{c.Feature}/count", new DataField<long>("element")));
            }

            foreach (var (feature, _) in cameras)
            {
                foreach (string stat in new[] { "min", "max", "mean", "std" }.Concat(LeRobotStats.QuantileLevels.Select(q => q.Key)))
                    episodeFields.Add(new ListField($"stats/{feature}/{stat}", new ListField("element", new ListField("element", new DataField<double>("element")))));
                episodeFields.Add(new ListField($"stats/{feature}/count", new DataField<long>("element")));
            }

            using (var stream = File.Create(Path.Combine(metaDir, "episodes", "chunk-000", "file-000.parquet")))
                ParquetSerializer.SerializeUntypedAsync(episodeRows, new ParquetSchema(episodeFields), stream, cancellationToken: cancellationToken).GetAwaiter().GetResult();
            LeRobotTasks.Write(Path.Combine(metaDir, "tasks.parquet"), instructions, cancellationToken);
            int[] camera = [3, 1, 1];
            var aggregated = columns.Where(HasStats).Select(c => (c.Feature, LeRobotStats.Aggregate(episodeStats.Select(s => s[c.Feature]).ToArray()), c.Shape.Length > 1 ? c.Shape : null))
                .Concat(columns.Where(c => c.Frames).Select(c => (c.Feature, LeRobotStats.OfFrames(dataset, c.Key!, 0, checked((int)n)), (int[]?)camera)))
                .Concat(videos.Select(v => (v.Feature, LeRobotStats.OfFrames(dataset, v.Key, 0, checked((int)n)), (int[]?)camera))).ToArray();
            File.WriteAllText(Path.Combine(metaDir, "stats.json"), LeRobotStats.ToJson(aggregated));
            File.WriteAllText(Path.Combine(metaDir, "info.json"), Info(metadata, n, options, episodes.Count, instructions.Length, rate, columns, videos, copies.Where(c => c.Value is not null).Select(c => c.Key).ToHashSet(), skipped).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
    }

    /// <summary>Episodes from infos/episode_index when the dataset has it (the boundaries every reader records), else terminals / timeouts.</summary>
    internal static IReadOnlyList<EpisodeRange> Episodes(ITrajectorySource dataset)
    {
        if (!dataset.HasColumn(D4rlKeys.EpisodeIndex))
            return dataset.Episodes();
        long[] index = ReadLongs(dataset, D4rlKeys.EpisodeIndex);
        bool[] terminals = dataset.HasColumn(D4rlKeys.Terminals) ? dataset.ReadFlags(D4rlKeys.Terminals) : new bool[index.Length];
        bool[] timeouts = dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.ReadFlags(D4rlKeys.Timeouts) : new bool[index.Length];
        var episodes = new List<EpisodeRange>();
        long start = 0;
        for (long i = 0; i < index.Length; i++)
        {
            if (i == index.Length - 1 || index[i + 1] != index[i])
            {
                episodes.Add(new EpisodeRange(episodes.Count, start, (int)(i + 1 - start), terminals[i], timeouts[i]));
                start = i + 1;
            }
        }

        return episodes;
    }

    private static JsonObject Info(IReadOnlyDictionary<string, MetadataValue> metadata, long rowCount, LeRobotWriteOptions options, int episodes, int tasks, double fps, IReadOnlyList<Column> columns, IReadOnlyList<Video> videos, IReadOnlySet<string> copied, IReadOnlyList<string> skipped)
    {
        JsonObject? source = metadata.TryGetValue("metadata/lerobot_info", out var raw) && raw.IsText ? JsonNode.Parse(raw.Text) as JsonObject : null;
        var features = new JsonObject();
        foreach (var c in columns)
        {
            if (c.Language)
            {
                features[c.Feature] = new JsonObject { ["dtype"] = "language", ["shape"] = new JsonArray(1), ["names"] = null };
                continue;
            }

            features[c.Feature] = !c.Frames
                ? new JsonObject { ["dtype"] = c.DType.ToNumpy(), ["shape"] = new JsonArray(c.Shape.Select(d => (JsonNode)d).ToArray()), ["names"] = null }
                : new JsonObject { ["dtype"] = "image", ["shape"] = new JsonArray(c.Shape.Select(d => (JsonNode)d).ToArray()), ["names"] = new JsonArray("height", "width", "channels") };
        }

        foreach (var video in videos)
        {
            string feature = video.Feature;
            int height = video.RowShape[0], width = video.RowShape[1];
            // A copied stream keeps the source's codec and video info.
            if (copied.Contains(feature) && source?["features"]?[feature] is JsonObject original && original["info"] is JsonObject)
            {
                features[feature] = original.DeepClone();
                continue;
            }

            features[feature] = new JsonObject
            {
                ["dtype"] = "video",
                ["shape"] = new JsonArray(height, width, 3),
                ["names"] = new JsonArray("height", "width", "channels"),
                ["info"] = new JsonObject
                {
                    ["video.height"] = height, ["video.width"] = width, ["video.codec"] = LeRobotVideoEncoder.Codec, ["video.pix_fmt"] = "yuv420p",
                    ["video.is_depth_map"] = false, ["video.fps"] = fps, ["video.channels"] = 3, ["has_audio"] = false,
                },
            };
        }

        var info = new JsonObject
        {
            ["codebase_version"] = LeRobotDataset.CodebaseVersion,
            ["robot_type"] = source?["robot_type"]?.DeepClone(),
            ["total_episodes"] = episodes,
            ["total_frames"] = rowCount,
            ["total_tasks"] = tasks,
            ["chunks_size"] = options.ChunksSize,
            ["data_files_size_in_mb"] = Number(options.DataFilesSizeInMb),
            ["video_files_size_in_mb"] = Number(options.VideoFilesSizeInMb),
            // lerobot's DatasetInfo.fps is an int; a whole rate is written as one.
            ["fps"] = Number(fps),
            ["splits"] = new JsonObject { ["train"] = $"0:{episodes}" },
            ["data_path"] = LeRobotDataset.DataPath,
            ["video_path"] = videos.Count > 0 ? "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4" : null,
            ["features"] = features,
        };
        if (skipped.Count > 0)
            info["robotics_unwritten_columns"] = new JsonArray(skipped.Select(s => (JsonNode)s).ToArray());
        return info;
    }

    /// <summary>A whole number as an int (lerobot's DatasetInfo declares fps and the size limits int), else as is.</summary>
    private static JsonValue Number(double value) => value == Math.Floor(value) && value < int.MaxValue ? JsonValue.Create((int)value) : JsonValue.Create(value);

    /// <summary>Size on disk in MiB, as upstream's get_file_size_in_mb.</summary>
    private static double SizeInMb(string path) => new FileInfo(path).Length / (1024.0 * 1024.0);

    /// <summary>True when every row's timestamp is its frame_index / fps as float32 (where encoded frames sit).</summary>
    private static bool OnFrameGrid(float[] timestamps, IReadOnlyList<EpisodeRange> episodes, double rate)
    {
        foreach (var episode in episodes)
        {
            for (int t = 0; t < episode.Length; t++)
            {
                if (timestamps[episode.Start + t] != (float)(t / rate))
                    return false;
            }
        }

        return true;
    }

    private static bool HasStats(Column c) => !c.Frames && c.DType != DType.String;

    private static Field Field(Column c)
    {
        if (c.Language)
            return LeRobotLanguage.Field(c.Feature, c.ToolCalls);
        if (c.DType == DType.String)
            return new DataField<string>(c.Feature);

        // datasets.Image's storage: a struct of the encoded bytes and a path (null once embedded).
        if (c.Frames)
            return new StructField(c.Feature, new DataField<byte[]>("bytes"), new DataField<string>("path"));

        DataField leaf = c.DType switch
        {
            DType.Float32 => new DataField<float>(c.Scalar ? c.Feature : "element"),
            DType.Float64 => new DataField<double>(c.Scalar ? c.Feature : "element"),
            DType.Int64 => new DataField<long>(c.Scalar ? c.Feature : "element"),
            DType.Int32 => new DataField<int>(c.Scalar ? c.Feature : "element"),
            DType.Int16 => new DataField<short>(c.Scalar ? c.Feature : "element"),
            DType.Int8 => new DataField<sbyte>(c.Scalar ? c.Feature : "element"),
            DType.UInt8 => new DataField<byte>(c.Scalar ? c.Feature : "element"),
            DType.UInt16 => new DataField<ushort>(c.Scalar ? c.Feature : "element"),
            DType.UInt32 => new DataField<uint>(c.Scalar ? c.Feature : "element"),
            DType.UInt64 => new DataField<ulong>(c.Scalar ? c.Feature : "element"),
            DType.Bool => new DataField<bool>(c.Scalar ? c.Feature : "element"),
            _ => throw new ArgumentException($"'{c.Feature}' is {c.DType.ToNumpy()}, which LeRobot features cannot hold."),
        };
        if (c.Shape.Length >= 2)
        {
            Field nested = leaf;
            for (int d = 1; d < c.Shape.Length; d++)
                nested = new ListField("element", nested);
            return new ListField(c.Feature, nested);
        }

        return c.Scalar ? leaf : new ListField(c.Feature, leaf);
    }

    /// <summary>An episode's values of one written column as doubles (row-major), for its stats.</summary>
    private static double[] Doubles(Column c, EpisodeRows rows)
    {
        int width = c.Shape.Aggregate(1, (a, b) => a * b);
        var episode = rows.Episode;
        var values = new double[episode.Length * width];
        for (int t = 0; t < episode.Length; t++)
        {
            object v = c.Value(rows, t);
            int k = 0;
            void Flatten(object item)
            {
                if (item is Array array)
                {
                    foreach (object? inner in array)
                        Flatten(inner!);
                }
                else
                {
                    values[t * width + k++] = ToDouble(item);
                }
            }

            Flatten(v);
        }

        return values;
    }

    private static double ToDouble(object v) => v is bool b ? (b ? 1 : 0) : Convert.ToDouble(v, CultureInfo.InvariantCulture);

    /// <summary>Rows [start, start + count) of a source column as an array (one episode's rows).</summary>
    private static NdArray ReadRows(ITrajectorySource dataset, string key, long start, int count)
    {
        var info = dataset.Column(key);
        var data = new byte[(long)count * info.RowBytes];
        dataset.ReadRows(key, start, count, data);
        return new NdArray(info.DType, [count, .. info.RowShape], data);
    }

    /// <summary>A whole per-row index column (episode or task index) as int64, read in blocks.</summary>
    private static long[] ReadLongs(ITrajectorySource dataset, string key)
    {
        var values = new long[dataset.RowCount];
        const int block = 1 << 16;
        for (long start = 0; start < dataset.RowCount; start += block)
        {
            int count = (int)Math.Min(block, dataset.RowCount - start);
            Longs(ReadRows(dataset, key, start, count)).CopyTo(values, start);
        }

        return values;
    }

    /// <summary>A whole float32 column of one value a row (a recorded timestamp), read in blocks.</summary>
    private static float[] ReadFloats(ITrajectorySource dataset, string key)
    {
        var values = new float[dataset.RowCount];
        const int block = 1 << 16;
        for (long start = 0; start < dataset.RowCount; start += block)
        {
            int count = (int)Math.Min(block, dataset.RowCount - start);
            dataset.ReadRowsAsFloats(key, start, count, values.AsSpan(checked((int)start), count));
        }

        return values;
    }

    private static long[] Longs(NdArray array) => array.DType switch
    {
        DType.Int64 => array.AsSpan<long>().ToArray(),
        DType.Int32 => Array.ConvertAll(array.AsSpan<int>().ToArray(), v => (long)v),
        _ => Array.ConvertAll(array.ToFloats(), v => (long)v),
    };
}
