using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Schema;
using Parquet.Serialization;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Trajectories;
using Robotics.Core.IO;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// LeRobot v3.0 folders for state-based datasets: meta/info.json, meta/stats.json, meta/tasks.parquet,
/// meta/episodes/chunk-000/file-000.parquet and data/chunk-XXX/file-XXX.parquet (many episodes per file).
/// Mapping: observation.state = observations, action = actions, next.reward = rewards,
/// next.done = terminals; on reading, the last frame of an episode that is not done is a timeout.
/// task_index = infos/task_index, tasks = metadata/task_instructions; other numeric features travel
/// as infos/&lt;feature&gt;. Video and image features are not handled (state-based only).
/// </summary>
public static class LeRobotDataset
{
    public const string CodebaseVersion = "v3.0";
    public const string DataPath = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    private const int ChunksSize = 1000;
    private static readonly string[] Bookkeeping = [FeatureKeys.Timestamp, FeatureKeys.FrameIndex, FeatureKeys.EpisodeIndex, "index", FeatureKeys.TaskIndex];

    public static bool Looks(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, "meta", "info.json"));

    public static void Write(string folder, FlatDataset dataset, double fps = 10, int rowsPerFile = 500_000, CancellationToken cancellationToken = default)
    {
        var episodes = dataset.Episodes();
        var obs = dataset.Info(D4rlKeys.Observations);
        var act = dataset.Info(D4rlKeys.Actions);
        long[] tasks = dataset.HasColumn(D4rlKeys.TaskIndex) ? dataset.Column(D4rlKeys.TaskIndex).ToFloats().Select(v => (long)v).ToArray() : new long[dataset.RowCount];
        string[] instructions = dataset.Metadata.TryGetValue(D4rlKeys.TaskInstructions, out var text) && text.IsText
            ? text.Strings!.ToArray()
            : Enumerable.Range(0, (int)(tasks.DefaultIfEmpty(0).Max() + 1)).Select(i => $"task {i}").ToArray();
        var extras = dataset.Columns.Keys.Where(k => k.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && k != D4rlKeys.TaskIndex && k != D4rlKeys.EpisodeIndex
            && dataset.Column(k).DType != DType.String && dataset.Column(k).Shape.Length <= 2).OrderBy(k => k, StringComparer.Ordinal).ToList();

        var fields = new List<Field>
        {
            new ListField(FeatureKeys.State, new DataField<float>("element")),
            new ListField(FeatureKeys.Action, new DataField<float>("element")),
            new DataField<float>(FeatureKeys.Timestamp), new DataField<long>(FeatureKeys.FrameIndex), new DataField<long>(FeatureKeys.EpisodeIndex),
            new DataField<long>("index"), new DataField<long>(FeatureKeys.TaskIndex), new DataField<float>(FeatureKeys.Reward), new DataField<bool>(FeatureKeys.Done),
        };
        fields.AddRange(extras.Select(k => (Field)new ListField(ExtraName(k), new DataField<float>("element"))));
        var schema = new ParquetSchema(fields);

        float[] o = dataset.Column(D4rlKeys.Observations).ToFloats();
        float[] a = dataset.Column(D4rlKeys.Actions).ToFloats();
        float[] r = dataset.Column(D4rlKeys.Rewards).ToFloats();
        bool[] done = dataset.Flags(D4rlKeys.Terminals);
        var extraValues = extras.ToDictionary(k => k, k => (Values: dataset.Column(k).ToFloats(), Width: dataset.Info(k).RowElements));

        AtomicFolder.Write(folder, temp =>
        {
            var episodeRows = new List<IDictionary<string, object?>>();
            var fileRows = new List<IDictionary<string, object?>>();
            int fileIndex = 0;
            void FlushFile()
            {
                if (fileRows.Count == 0)
                    return;
                string path = Path.Combine(temp, DataFile(fileIndex / ChunksSize, fileIndex % ChunksSize));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using (var stream = File.Create(path))
                    ParquetSerializer.SerializeUntypedAsync(fileRows, schema, stream, cancellationToken: cancellationToken).GetAwaiter().GetResult();
                fileRows.Clear();
                fileIndex++;
            }

            foreach (var episode in episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (fileRows.Count > 0 && fileRows.Count + episode.Length > rowsPerFile)
                    FlushFile();
                long taskOfEpisode = tasks[episode.Start];
                episodeRows.Add(new Dictionary<string, object?>
                {
                    [FeatureKeys.EpisodeIndex] = (long)episode.Index,
                    // Parquet.Net 6 stripes string lists as ReadOnlyMemory<char>? elements.
                    ["tasks"] = new ReadOnlyMemory<char>?[] { (instructions.ElementAtOrDefault((int)taskOfEpisode) ?? $"task {taskOfEpisode}").AsMemory() },
                    ["length"] = (long)episode.Length,
                    ["data/chunk_index"] = (long)(fileIndex / ChunksSize),
                    ["data/file_index"] = (long)(fileIndex % ChunksSize),
                    ["dataset_from_index"] = episode.Start,
                    ["dataset_to_index"] = episode.End,
                });
                for (int t = 0; t < episode.Length; t++)
                {
                    long i = episode.Start + t;
                    var row = new Dictionary<string, object?>
                    {
                        [FeatureKeys.State] = o.AsSpan((int)(i * obs.RowElements), obs.RowElements).ToArray(),
                        [FeatureKeys.Action] = a.AsSpan((int)(i * act.RowElements), act.RowElements).ToArray(),
                        [FeatureKeys.Timestamp] = (float)(t / fps),
                        [FeatureKeys.FrameIndex] = (long)t,
                        [FeatureKeys.EpisodeIndex] = (long)episode.Index,
                        ["index"] = i,
                        [FeatureKeys.TaskIndex] = tasks[i],
                        [FeatureKeys.Reward] = r[i],
                        [FeatureKeys.Done] = done[i],
                    };
                    foreach (var (key, (values, width)) in extraValues)
                        row[ExtraName(key)] = values.AsSpan((int)(i * width), width).ToArray();
                    fileRows.Add(row);
                }
            }

            FlushFile();
            string meta = Path.Combine(temp, "meta");
            Directory.CreateDirectory(Path.Combine(meta, "episodes", "chunk-000"));
            var episodeSchema = new ParquetSchema(
                new DataField<long>(FeatureKeys.EpisodeIndex), new ListField("tasks", new DataField<string>("element")), new DataField<long>("length"),
                new DataField<long>("data/chunk_index"), new DataField<long>("data/file_index"), new DataField<long>("dataset_from_index"), new DataField<long>("dataset_to_index"));
            using (var stream = File.Create(Path.Combine(meta, "episodes", "chunk-000", "file-000.parquet")))
                ParquetSerializer.SerializeUntypedAsync(episodeRows, episodeSchema, stream, cancellationToken: cancellationToken).GetAwaiter().GetResult();
            var taskSchema = new ParquetSchema(new DataField<string>("task"), new DataField<long>(FeatureKeys.TaskIndex));
            var taskRows = instructions.Select((s, i) => (IDictionary<string, object?>)new Dictionary<string, object?> { ["task"] = s, [FeatureKeys.TaskIndex] = (long)i }).ToList();
            using (var stream = File.Create(Path.Combine(meta, "tasks.parquet")))
                ParquetSerializer.SerializeUntypedAsync(taskRows, taskSchema, stream, cancellationToken: cancellationToken).GetAwaiter().GetResult();

            var source = new FlatDatasetSource(dataset);
            var stats = DatasetStatistics.Compute(source, [D4rlKeys.Observations, D4rlKeys.Actions, D4rlKeys.Rewards], cancellationToken: cancellationToken);
            var renamed = new Dictionary<string, FeatureStatistics>
            {
                [FeatureKeys.State] = stats[D4rlKeys.Observations] with { Key = FeatureKeys.State },
                [FeatureKeys.Action] = stats[D4rlKeys.Actions] with { Key = FeatureKeys.Action },
                [FeatureKeys.Reward] = stats[D4rlKeys.Rewards] with { Key = FeatureKeys.Reward },
            };
            File.WriteAllText(Path.Combine(meta, "stats.json"), StatsJson.Serialize(renamed));
            File.WriteAllText(Path.Combine(meta, "info.json"), Info(dataset, episodes.Count, instructions.Length, fps, obs, act, extras).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
    }

    public static FlatDataset Read(string folder, CancellationToken cancellationToken = default)
    {
        string infoPath = Path.Combine(folder, "meta", "info.json");
        if (!File.Exists(infoPath))
            throw new FileNotFoundException($"{folder}: no meta/info.json (is this a LeRobot dataset?)", infoPath);
        JsonObject info;
        try
        {
            info = JsonNode.Parse(File.ReadAllText(infoPath)) as JsonObject ?? throw new JsonException("top level is not an object");
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(infoPath, null, $"invalid JSON ({e.Message})", e);
        }

        string version = info["codebase_version"]?.GetValue<string>() ?? "";
        if (!version.StartsWith("v3", StringComparison.Ordinal))
            throw new DatasetFormatException(infoPath, "codebase_version", $"is '{version}'; only LeRobot v3.x folders are read");
        var features = info["features"] as JsonObject ?? throw new DatasetFormatException(infoPath, "features", "missing");
        var files = Directory.Exists(Path.Combine(folder, "data"))
            ? Directory.GetFiles(Path.Combine(folder, "data"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
            throw new DatasetFormatException(folder, "data", "no parquet files under data/");

        var rows = new List<IDictionary<string, object?>>();
        foreach (string file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var stream = File.OpenRead(file);
                var result = ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: cancellationToken).GetAwaiter().GetResult();
                rows.AddRange(result.Data.Select(d => (IDictionary<string, object?>)d!));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new DatasetFormatException(file, null, $"not a readable parquet file ({e.GetType().Name}: {e.Message})", e);
            }
        }

        rows.Sort((x, y) => Long(x, "index", folder).CompareTo(Long(y, "index", folder)));
        int n = rows.Count;
        var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var (name, node) in features)
        {
            string dtype = node?["dtype"]?.GetValue<string>() ?? "";
            if (dtype is "video" or "image" or "string")
            {
                skipped.Add(name);
                continue;
            }

            if (Bookkeeping.Contains(name) && name != FeatureKeys.TaskIndex)
                continue;
            int[] shape = (node?["shape"] as JsonArray)?.Select(s => s!.GetValue<int>()).ToArray() ?? [1];
            string key = name switch
            {
                FeatureKeys.State => D4rlKeys.Observations,
                FeatureKeys.Action => D4rlKeys.Actions,
                FeatureKeys.Reward => D4rlKeys.Rewards,
                FeatureKeys.Done => D4rlKeys.Terminals,
                FeatureKeys.TaskIndex => D4rlKeys.TaskIndex,
                _ => D4rlKeys.InfosPrefix + name.Replace('/', '.'),
            };
            bool scalar = key is D4rlKeys.Rewards or D4rlKeys.Terminals or D4rlKeys.TaskIndex || (shape.Length == 1 && shape[0] == 1 && !IsList(rows, name));
            int width = shape.Aggregate(1, (x, y) => x * y);
            var values = new float[(long)n * width];
            for (int i = 0; i < n; i++)
                Fill(rows[i], name, values.AsSpan(i * width, width), folder, i);
            int[] fullShape = scalar ? [n] : [n, .. shape];
            columns[key] = dtype switch
            {
                "bool" => new NdArray(DType.Bool, fullShape, values.Select(v => v != 0 ? (byte)1 : (byte)0).ToArray()),
                "int64" => new NdArray(DType.Int64, fullShape, MemoryMarshal.AsBytes(values.Select(v => (long)v).ToArray().AsSpan()).ToArray()),
                _ => NdArray.FromFloats(values, fullShape),
            };
        }

        long[] episodeIndex = rows.Select(row => Long(row, FeatureKeys.EpisodeIndex, folder)).ToArray();
        columns[D4rlKeys.EpisodeIndex] = new NdArray(DType.Int64, [n], MemoryMarshal.AsBytes(episodeIndex.AsSpan()).ToArray());
        bool[] done = columns.TryGetValue(D4rlKeys.Terminals, out var terminals) ? FlagReader.ToFlags(terminals, D4rlKeys.Terminals) : new bool[n];
        var timeouts = new byte[n];
        for (int i = 0; i < n; i++)
        {
            bool last = i == n - 1 || episodeIndex[i + 1] != episodeIndex[i];
            if (last && !done[i])
                timeouts[i] = 1;
        }

        columns[D4rlKeys.Timeouts] = new NdArray(DType.Bool, [n], timeouts);
        if (!columns.ContainsKey(D4rlKeys.Terminals))
            columns[D4rlKeys.Terminals] = new NdArray(DType.Bool, [n], new byte[n]);
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            ["metadata/lerobot_info"] = MetadataValue.FromText(info.ToJsonString()),
        };
        if (ReadTasks(folder) is { Length: > 0 } tasks)
            metadata[D4rlKeys.TaskInstructions] = MetadataValue.FromStrings(tasks);
        if (skipped.Count > 0)
            metadata["metadata/lerobot_skipped_features"] = MetadataValue.FromStrings(skipped);
        return new FlatDataset(columns, metadata);
    }

    private static string DataFile(int chunk, int file) => Path.Combine("data", $"chunk-{chunk:000}", $"file-{file:000}.parquet");

    private static string ExtraName(string infoKey) => infoKey[D4rlKeys.InfosPrefix.Length..].Replace('/', '.');

    private static JsonObject Info(FlatDataset dataset, int episodes, int tasks, double fps, ColumnInfo obs, ColumnInfo act, IReadOnlyList<string> extras)
    {
        JsonObject Feature(string dtype, IEnumerable<int> shape) => new() { ["dtype"] = dtype, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["names"] = null };
        var features = new JsonObject
        {
            [FeatureKeys.State] = Feature("float32", obs.RowShape),
            [FeatureKeys.Action] = Feature("float32", act.RowShape),
            [FeatureKeys.Timestamp] = Feature("float32", [1]),
            [FeatureKeys.FrameIndex] = Feature("int64", [1]),
            [FeatureKeys.EpisodeIndex] = Feature("int64", [1]),
            ["index"] = Feature("int64", [1]),
            [FeatureKeys.TaskIndex] = Feature("int64", [1]),
            [FeatureKeys.Reward] = Feature("float32", [1]),
            [FeatureKeys.Done] = Feature("bool", [1]),
        };
        foreach (string key in extras)
            features[ExtraName(key)] = Feature("float32", dataset.Info(key).RowShape.Count == 0 ? [1] : dataset.Info(key).RowShape);
        return new JsonObject
        {
            ["codebase_version"] = CodebaseVersion,
            ["robot_type"] = "unknown",
            ["total_episodes"] = episodes,
            ["total_frames"] = dataset.RowCount,
            ["total_tasks"] = tasks,
            ["chunks_size"] = ChunksSize,
            ["data_files_size_in_mb"] = 100,
            ["video_files_size_in_mb"] = 500,
            ["fps"] = fps,
            ["splits"] = new JsonObject { ["train"] = $"0:{episodes}" },
            ["data_path"] = DataPath,
            ["video_path"] = null,
            ["features"] = features,
        };
    }

    private static string[]? ReadTasks(string folder)
    {
        string path = Path.Combine(folder, "meta", "tasks.parquet");
        if (!File.Exists(path))
            return null;
        try
        {
            using var stream = File.OpenRead(path);
            var result = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            var pairs = result.Data
                .Select(d => (IDictionary<string, object?>)d!)
                .Select(d => (Index: Convert.ToInt64(d[FeatureKeys.TaskIndex], CultureInfo.InvariantCulture),
                    Task: (d.TryGetValue("task", out var t) ? t : d.TryGetValue("__index_level_0__", out var ix) ? ix : null)?.ToString() ?? ""))
                .OrderBy(p => p.Index).ToList();
            return pairs.Select(p => p.Task).ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, null, $"cannot read tasks ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static bool IsList(List<IDictionary<string, object?>> rows, string name) =>
        rows.Count > 0 && rows[0].TryGetValue(name, out var v) && v is IEnumerable and not string;

    private static long Long(IDictionary<string, object?> row, string name, string origin) =>
        row.TryGetValue(name, out var value) && value is not null
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : throw new DatasetFormatException(origin, name, "column missing or null");

    private static void Fill(IDictionary<string, object?> row, string name, Span<float> destination, string origin, int rowIndex)
    {
        if (!row.TryGetValue(name, out var value) || value is null)
            throw new DatasetFormatException(origin, name, $"missing or null at row {rowIndex}");
        if (value is IEnumerable list and not string)
        {
            int k = 0;
            foreach (var item in list)
            {
                if (k >= destination.Length)
                    throw new DatasetFormatException(origin, name, $"row {rowIndex} has more than the {destination.Length} values info.json declares");
                destination[k++] = Convert.ToSingle(item, CultureInfo.InvariantCulture);
            }

            if (k != destination.Length)
                throw new DatasetFormatException(origin, name, $"row {rowIndex} has {k} values; info.json declares {destination.Length}");
        }
        else
        {
            destination[0] = Convert.ToSingle(value, CultureInfo.InvariantCulture);
        }
    }
}
