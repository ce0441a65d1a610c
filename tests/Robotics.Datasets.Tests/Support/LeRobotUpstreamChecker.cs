using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ParquetSharp;
using ParquetSharp.Schema;

namespace Robotics.Datasets.Tests.Support;

/// <summary>
/// Checks a LeRobot v3.0 folder against the rules lerobot 7427f31's reader applies, with ParquetSharp's
/// low-level column API (our writer uses Parquet.Net, our reader the Arrow API): info.json as DatasetInfo
/// accepts it (int fps > 0); every data file's columns exactly the non-video features, each of the
/// parquet type datasets casts to the declared feature (get_hf_features_from_features: shape [1] a plain
/// value, shape [k] a list of k values, dtype exact); tasks.parquet with the task strings as the pandas
/// index (pd.read_parquet + load_tasks); meta/episodes with the columns the loader indexes and ranges
/// that match the data; stats.json without null. Returns the problems found (empty when upstream reads it).
/// </summary>
public static class LeRobotUpstreamChecker
{
    public static IReadOnlyList<string> Check(string folder)
    {
        var problems = new List<string>();
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json")))!.AsObject();
        if (info["codebase_version"]?.ToString() != "v3.0")
            problems.Add($"codebase_version is {info["codebase_version"]}");
        if (info["fps"] is not JsonValue fps || !fps.TryGetValue(out int rate) || rate <= 0)
            problems.Add($"fps {info["fps"]} is not a positive int (DatasetInfo.fps: int)");
        var features = info["features"]!.AsObject();
        var tabular = features.Where(f => f.Value!["dtype"]!.ToString() != "video").ToDictionary(f => f.Key, f => f.Value!.AsObject());

        var files = Directory.GetFiles(Path.Combine(folder, "data"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var episodeOfRow = new List<long>();
        var timestamps = new List<float>();
        // The rows each data file holds in the concatenation upstream loads (files in sorted order).
        var rowsOfFile = new Dictionary<string, (long From, long To)>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            using var reader = new ParquetFileReader(file);
            var root = reader.FileMetaData.Schema.GroupNode;
            var names = root.Fields.Select(f => f.Name).ToHashSet();
            if (!names.SetEquals(tabular.Keys))
                problems.Add($"{file}: columns [{string.Join(", ", names.Order())}] differ from the features [{string.Join(", ", tabular.Keys.Order())}] (datasets cannot cast)");
            foreach (var node in root.Fields)
            {
                if (!tabular.TryGetValue(node.Name, out var feature))
                    continue;
                string dtype = feature["dtype"]!.ToString();
                int[] shape = feature["shape"]!.AsArray().Select(d => (int)d!).ToArray();
                problems.AddRange(CheckColumn(file, reader, node, dtype, shape));
            }

            long before = episodeOfRow.Count;
            if (names.Contains("episode_index"))
                episodeOfRow.AddRange(ReadLongs(reader, "episode_index"));
            rowsOfFile[Path.GetRelativePath(folder, file).Replace('\\', '/')] = (before, episodeOfRow.Count);
            if (names.Contains("timestamp"))
                timestamps.AddRange(ReadFloats(reader, "timestamp"));
        }

        if (info["total_frames"] is JsonValue frames && (long)frames != episodeOfRow.Count)
            problems.Add($"total_frames {frames} but the data files hold {episodeOfRow.Count} rows");

        CheckTasks(Path.Combine(folder, "meta", "tasks.parquet"), problems);
        CheckEpisodes(folder, info, episodeOfRow, rowsOfFile, problems);
        foreach (var (key, feature) in features.Where(f => f.Value!["dtype"]!.ToString() == "video"))
            CheckVideo(folder, info, key, feature!.AsObject(), episodeOfRow, timestamps, problems);
        string stats = File.ReadAllText(Path.Combine(folder, "meta", "stats.json"));
        if (Regex.IsMatch(stats, @"\bnull\b"))
            problems.Add("stats.json holds null (python's json.dump writes NaN / Infinity)");
        return problems;
    }

    private static IEnumerable<string> CheckColumn(string file, ParquetFileReader reader, Node node, string dtype, int[] shape)
    {
        if (dtype is "image")
        {
            // datasets.Image's storage: struct<bytes: binary, path: string>.
            if (node is not GroupNode image || !image.Fields.Select(f => f.Name).ToHashSet().SetEquals(["bytes", "path"]))
                yield return $"{file}: image feature '{node.Name}' is not a struct of bytes and path";
            yield break;
        }

        if (dtype is "string" or "language")
            yield break;
        int depth = 0;
        var current = node;
        while (current is GroupNode group)
        {
            if (group.LogicalType is not ListLogicalType)
            {
                yield return $"{file}: '{node.Name}' is a group that is not a LIST";
                yield break;
            }

            depth++;
            // LIST -> repeated group "list" -> element
            var repeated = group.Fields.Single();
            current = repeated is GroupNode inner && inner.Fields.Length == 1 ? inner.Fields[0] : repeated;
        }

        int expectedDepth = shape is [1] ? 0 : shape.Length;
        if (depth != expectedDepth)
            yield return $"{file}: '{node.Name}' is nested {depth} deep but shape [{string.Join(", ", shape)}] maps to {(expectedDepth == 0 ? "a plain value" : $"{expectedDepth} list levels")}";
        var leaf = (PrimitiveNode)current;
        string actual = ParquetDType(leaf);
        if (actual != dtype)
            yield return $"{file}: '{node.Name}' holds {actual}, info.json declares {dtype}";
        if (depth == 1)
        {
            foreach (int length in ListLengths(reader, node.Name))
            {
                if (length != shape[0])
                {
                    yield return $"{file}: '{node.Name}' has a row of {length} values; shape says {shape[0]}";
                    break;
                }
            }
        }
    }

    private static string ParquetDType(PrimitiveNode leaf) => (leaf.PhysicalType, leaf.LogicalType) switch
    {
        (PhysicalType.Float, _) => "float32",
        (PhysicalType.Double, _) => "float64",
        (PhysicalType.Boolean, _) => "bool",
        (PhysicalType.Int64, IntLogicalType { IsSigned: false }) => "uint64",
        (PhysicalType.Int64, _) => "int64",
        (PhysicalType.Int32, IntLogicalType { BitWidth: 8, IsSigned: true }) => "int8",
        (PhysicalType.Int32, IntLogicalType { BitWidth: 16, IsSigned: true }) => "int16",
        (PhysicalType.Int32, IntLogicalType { BitWidth: 8, IsSigned: false }) => "uint8",
        (PhysicalType.Int32, IntLogicalType { BitWidth: 16, IsSigned: false }) => "uint16",
        (PhysicalType.Int32, IntLogicalType { BitWidth: 32, IsSigned: false }) => "uint32",
        (PhysicalType.Int32, _) => "int32",
        var other => other.ToString(),
    };

    /// <summary>Values per row of a one-level list column, from its repetition levels.</summary>
    private static List<int> ListLengths(ParquetFileReader reader, string name)
    {
        var lengths = new List<int>();
        int column = ColumnIndex(reader, name);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var columnReader = group.Column(column);
            var def = new short[4096];
            var rep = new short[4096];
            short maxDef = columnReader.ColumnDescriptor.MaxDefinitionLevel;
            while (columnReader.HasNext)
            {
                long levels = ReadLevels(columnReader, def, rep);
                for (int i = 0; i < levels; i++)
                {
                    if (rep[i] == 0)
                        lengths.Add(0);
                    if (def[i] == maxDef)
                        lengths[^1]++;
                }
            }
        }

        return lengths;
    }

    private static long ReadLevels(ColumnReader reader, short[] def, short[] rep) => reader switch
    {
        ColumnReader<float> r => r.ReadBatch(def.Length, def, rep, new float[def.Length], out _),
        ColumnReader<double> r => r.ReadBatch(def.Length, def, rep, new double[def.Length], out _),
        ColumnReader<long> r => r.ReadBatch(def.Length, def, rep, new long[def.Length], out _),
        ColumnReader<int> r => r.ReadBatch(def.Length, def, rep, new int[def.Length], out _),
        ColumnReader<bool> r => r.ReadBatch(def.Length, def, rep, new bool[def.Length], out _),
        _ => throw new NotSupportedException(reader.GetType().Name),
    };

    private static int ColumnIndex(ParquetFileReader reader, string top)
    {
        var schema = reader.FileMetaData.Schema;
        for (int i = 0; i < schema.NumColumns; i++)
        {
            if (schema.Column(i).Path.ToDotVector()[0] == top)
                return i;
        }

        throw new KeyNotFoundException(top);
    }

    private static List<long> ReadLongs(ParquetFileReader reader, string name)
    {
        var values = new List<long>();
        int column = ColumnIndex(reader, name);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var raw = group.Column(column);
            int rows = checked((int)group.MetaData.NumRows);
            // pandas writes nullable columns (definition level 1); lerobot's writer required ones.
            if (raw.ColumnDescriptor.MaxDefinitionLevel > 0)
                values.AddRange(raw.LogicalReader<long?>().ReadAll(rows).Select(v => v ?? throw new InvalidDataException($"{name} holds a null")));
            else
                values.AddRange(raw.LogicalReader<long>().ReadAll(rows));
        }

        return values;
    }

    private static List<string> ReadStrings(ParquetFileReader reader, string name)
    {
        var values = new List<string>();
        int column = ColumnIndex(reader, name);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var columnReader = group.Column(column).LogicalReader<string>();
            values.AddRange(columnReader.ReadAll(checked((int)group.MetaData.NumRows)));
        }

        return values;
    }

    /// <summary>
    /// As LeRobotDataset's video query: for every row, from_timestamp of its episode + the row's timestamp
    /// must lie within tolerance_s = 1e-4 of a frame of the episode's video file (frame times by ffprobe).
    /// </summary>
    private static void CheckVideo(string folder, JsonObject info, string key, JsonObject feature, List<long> episodeOfRow, List<float> timestamps, List<string> problems)
    {
        string path = Path.Combine(folder, "meta", "episodes", "chunk-000", "file-000.parquet");
        using var reader = new ParquetFileReader(path);
        var names = reader.FileMetaData.Schema.GroupNode.Fields.Select(f => f.Name).ToHashSet();
        foreach (string column in new[] { "chunk_index", "file_index", "from_timestamp", "to_timestamp" }.Select(c => $"videos/{key}/{c}"))
        {
            if (!names.Contains(column))
            {
                problems.Add($"episodes parquet lacks '{column}'");
                return;
            }
        }

        if (info["video_path"] is null)
            problems.Add("video_path is null but there is a video feature");
        var episode = ReadLongs(reader, "episode_index");
        var chunk = ReadLongs(reader, $"videos/{key}/chunk_index");
        var file = ReadLongs(reader, $"videos/{key}/file_index");
        var from = ReadDoubles(reader, $"videos/{key}/from_timestamp");
        var frameTimes = new Dictionary<string, double[]>();
        for (int row = 0; row < episodeOfRow.Count; row++)
        {
            int e = episode.IndexOf(episodeOfRow[row]);
            string video = Path.Combine(folder, $"videos/{key}/chunk-{chunk[e]:000}/file-{file[e]:000}.mp4");
            if (!frameTimes.TryGetValue(video, out var times))
            {
                if (!File.Exists(video))
                {
                    problems.Add($"{key}: video file {video} missing");
                    return;
                }

                frameTimes[video] = times = FfprobeFrameTimes(video);
            }

            double query = from[e] + timestamps[row];
            double distance = times.Min(t => Math.Abs(t - query));
            if (distance > 1e-4)
            {
                problems.Add($"{key}: row {row} queries {query} s, {distance} s from the closest frame (FrameTimestampError upstream)");
                return;
            }
        }

        if (feature["shape"]!.AsArray().Count != 3)
            problems.Add($"{key}: a video feature's shape is (H, W, C)");
    }

    private static double[] FfprobeFrameTimes(string video)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffprobe", $"-v error -select_streams v:0 -show_entries packet=pts_time -of csv=p=0 \"{video}\"") { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t.Trim().TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
    }

    private static List<float> ReadFloats(ParquetFileReader reader, string name)
    {
        var values = new List<float>();
        int column = ColumnIndex(reader, name);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var raw = group.Column(column);
            int rows = checked((int)group.MetaData.NumRows);
            if (raw.ColumnDescriptor.MaxDefinitionLevel > 0)
                values.AddRange(raw.LogicalReader<float?>().ReadAll(rows).Select(v => v ?? float.NaN));
            else
                values.AddRange(raw.LogicalReader<float>().ReadAll(rows));
        }

        return values;
    }

    private static List<double> ReadDoubles(ParquetFileReader reader, string name)
    {
        var values = new List<double>();
        int column = ColumnIndex(reader, name);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            using var raw = group.Column(column);
            int rows = checked((int)group.MetaData.NumRows);
            if (raw.ColumnDescriptor.MaxDefinitionLevel > 0)
                values.AddRange(raw.LogicalReader<double?>().ReadAll(rows).Select(v => v ?? double.NaN));
            else
                values.AddRange(raw.LogicalReader<double>().ReadAll(rows));
        }

        return values;
    }

    private static void CheckTasks(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add("meta/tasks.parquet missing");
            return;
        }

        using var reader = new ParquetFileReader(path);
        if (!reader.FileMetaData.KeyValueMetadata.TryGetValue("pandas", out var pandas))
        {
            problems.Add("tasks.parquet has no pandas metadata: pd.read_parquet gives a RangeIndex, so load_tasks' index (the task) is an integer");
            return;
        }

        var index = JsonNode.Parse(pandas)!["index_columns"]!.AsArray().Select(n => n!.ToString()).ToArray();
        if (index is not ["task"])
            problems.Add($"tasks.parquet's pandas index is [{string.Join(", ", index)}], not [task]");
        var names = reader.FileMetaData.Schema.GroupNode.Fields.Select(f => f.Name).ToArray();
        if (!names.Contains("task") || !names.Contains("task_index"))
            problems.Add($"tasks.parquet columns [{string.Join(", ", names)}] lack task or task_index");
        else if (ReadStrings(reader, "task").Count != ReadLongs(reader, "task_index").Count)
            problems.Add("tasks.parquet: task and task_index differ in length");
    }

    private static void CheckEpisodes(string folder, JsonObject info, List<long> episodeOfRow, Dictionary<string, (long From, long To)> rowsOfFile, List<string> problems)
    {
        string path = Path.Combine(folder, "meta", "episodes", "chunk-000", "file-000.parquet");
        if (!File.Exists(path))
        {
            problems.Add("meta/episodes/chunk-000/file-000.parquet missing");
            return;
        }

        using var reader = new ParquetFileReader(path);
        var names = reader.FileMetaData.Schema.GroupNode.Fields.Select(f => f.Name).ToHashSet();
        string[] required = ["episode_index", "tasks", "length", "data/chunk_index", "data/file_index", "dataset_from_index", "dataset_to_index"];
        foreach (string column in required.Where(c => !names.Contains(c)))
            problems.Add($"episodes parquet lacks '{column}' (LeRobotDatasetMetadata reads it)");
        if (required.Any(c => !names.Contains(c)))
            return;
        if (!names.Any(n => n.StartsWith("stats/", StringComparison.Ordinal)))
            problems.Add("episodes parquet has no per-episode stats/* columns");
        var episode = ReadLongs(reader, "episode_index");
        var from = ReadLongs(reader, "dataset_from_index");
        var to = ReadLongs(reader, "dataset_to_index");
        var length = ReadLongs(reader, "length");
        var chunk = ReadLongs(reader, "data/chunk_index");
        var file = ReadLongs(reader, "data/file_index");
        if (info["total_episodes"] is JsonValue total && (long)total != episode.Count)
            problems.Add($"total_episodes {total} but the episodes parquet lists {episode.Count}");
        for (int e = 0; e < episode.Count; e++)
        {
            string relative = $"data/chunk-{chunk[e]:000}/file-{file[e]:000}.parquet";
            string data = Path.Combine(folder, relative);
            if (!File.Exists(data))
                problems.Add($"episode {episode[e]}: data file {data} missing");
            else if (rowsOfFile.TryGetValue(relative, out var held) && (from[e] < held.From || to[e] > held.To))
                problems.Add($"episode {episode[e]}: rows {from[e]}..{to[e]} are not all in {relative}, which holds rows {held.From}..{held.To} (an episode is never split across files)");
            if (info["chunks_size"] is JsonValue size && file[e] >= (long)size)
                problems.Add($"episode {episode[e]}: data/file_index {file[e]} is not below chunks_size {size}");
            if (to[e] - from[e] != length[e])
                problems.Add($"episode {episode[e]}: dataset_to_index - dataset_from_index != length");
            for (long i = from[e]; i < to[e] && i < episodeOfRow.Count; i++)
            {
                if (episodeOfRow[(int)i] != episode[e])
                {
                    problems.Add($"episode {episode[e]}: row {i} belongs to episode {episodeOfRow[(int)i]}");
                    break;
                }
            }
        }
    }
}
