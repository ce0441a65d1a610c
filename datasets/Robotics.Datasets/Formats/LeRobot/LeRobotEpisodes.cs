using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Robotics.Datasets.Formats.LeRobot.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Episode and task metadata of both layouts. v3.0: meta/episodes/chunk-*/file-*.parquet (one row per
/// episode with data/chunk_index, data/file_index, videos/&lt;key&gt;/chunk_index, file_index,
/// from_timestamp) and meta/tasks.parquet (task strings as the pandas index, task_index column).
/// v2.1: meta/episodes.jsonl, meta/tasks.jsonl, one data file and one video per episode at the
/// info.json templates with episode_chunk = episode_index / chunks_size.
/// </summary>
public static class LeRobotEpisodes
{
    public static IReadOnlyList<LeRobotEpisode> Load(string folder, LeRobotInfo info) => info.IsV3 ? LoadV3(folder, info) : LoadV21(folder, info);

    /// <summary>Task strings by task_index.</summary>
    public static IReadOnlyDictionary<long, string> Tasks(string folder, LeRobotInfo info) => info.IsV3 ? TasksV3(folder) : TasksV21(folder);

    private static IReadOnlyList<LeRobotEpisode> LoadV3(string folder, LeRobotInfo info)
    {
        string dir = Path.Combine(folder, "meta", "episodes");
        var files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
            throw new DatasetFormatException(folder, "meta/episodes", "no parquet files (a v3.0 folder lists its episodes there)");
        var videoKeys = info.Features.Where(f => f.IsVideo).Select(f => f.Name).ToArray();
        var episodes = new List<LeRobotEpisode>();
        foreach (string file in files)
        {
            var available = ParquetBatches.Columns(file);
            var wanted = new List<string> { "episode_index", "tasks", "length", "data/chunk_index", "data/file_index" };
            foreach (string key in videoKeys)
            {
                wanted.AddRange([$"videos/{key}/chunk_index", $"videos/{key}/file_index", $"videos/{key}/from_timestamp"]);
                if (available.Contains($"videos/{key}/to_timestamp"))
                    wanted.Add($"videos/{key}/to_timestamp");
            }

            foreach (string column in wanted.Where(c => c != "tasks" && !c.EndsWith("/to_timestamp", StringComparison.Ordinal)))
            {
                if (!available.Contains(column))
                    throw new DatasetFormatException(file, column, "column missing from the episodes metadata");
            }

            try
            {
                foreach (var batch in ParquetBatches.Read(file, wanted))
                {
                    for (int row = 0; row < batch.Length; row++)
                    {
                        long index = Long(batch, "episode_index", row);
                        string data = Path.Combine(folder, LeRobotInfo.Format(info.DataPath, new Dictionary<string, object>
                        {
                            ["chunk_index"] = Long(batch, "data/chunk_index", row),
                            ["file_index"] = Long(batch, "data/file_index", row),
                        }));
                        var videos = new Dictionary<string, LeRobotVideoSpan>(StringComparer.Ordinal);
                        foreach (string key in videoKeys)
                        {
                            string template = info.VideoPath ?? throw new DatasetFormatException(info.Path, "video_path", $"is null but '{key}' is a video feature");
                            string video = Path.Combine(folder, LeRobotInfo.Format(template, new Dictionary<string, object>
                            {
                                ["video_key"] = key,
                                ["chunk_index"] = Long(batch, $"videos/{key}/chunk_index", row),
                                ["file_index"] = Long(batch, $"videos/{key}/file_index", row),
                            }));
                            double? to = batch.Schema.FieldsList.Any(f => f.Name == $"videos/{key}/to_timestamp") ? Double(batch, $"videos/{key}/to_timestamp", row) : null;
                            videos[key] = new LeRobotVideoSpan(video, Double(batch, $"videos/{key}/from_timestamp", row), to);
                        }

                        var tasks = batch.Schema.FieldsList.Any(f => f.Name == "tasks") ? ArrowValues.ListStrings(batch.Column("tasks"), row) : [];
                        episodes.Add(new LeRobotEpisode(index, Long(batch, "length", row), tasks, data, videos));
                    }
                }
            }
            catch (Exception e) when (e is InvalidDataException or InvalidCastException or FormatException)
            {
                throw new DatasetFormatException(file, null, e.Message, e);
            }
        }

        return episodes.OrderBy(e => e.Index).ToArray();
    }

    private static IReadOnlyList<LeRobotEpisode> LoadV21(string folder, LeRobotInfo info)
    {
        string path = Path.Combine(folder, "meta", "episodes.jsonl");
        var episodes = new List<LeRobotEpisode>();
        foreach (var (line, number) in JsonLines(path))
        {
            long index = line["episode_index"]?.GetValue<long>() ?? throw new DatasetFormatException(path, "episode_index", $"missing on line {number}");
            long length = line["length"]?.GetValue<long>() ?? throw new DatasetFormatException(path, "length", $"missing on line {number}");
            var tasks = (line["tasks"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToArray() ?? [];
            long chunk = index / info.ChunksSize;
            var values = new Dictionary<string, object> { ["episode_chunk"] = chunk, ["episode_index"] = index };
            string data = Path.Combine(folder, LeRobotInfo.Format(info.DataPath, values));
            var videos = new Dictionary<string, LeRobotVideoSpan>(StringComparer.Ordinal);
            foreach (var feature in info.Features.Where(f => f.IsVideo))
            {
                string template = info.VideoPath ?? throw new DatasetFormatException(info.Path, "video_path", $"is null but '{feature.Name}' is a video feature");
                // v2.1 keeps one video per episode, so every episode starts at time 0 of its file.
                videos[feature.Name] = new LeRobotVideoSpan(Path.Combine(folder, LeRobotInfo.Format(template, new Dictionary<string, object>(values) { ["video_key"] = feature.Name })), 0);
            }

            episodes.Add(new LeRobotEpisode(index, length, tasks, data, videos));
        }

        return episodes.OrderBy(e => e.Index).ToArray();
    }

    private static IReadOnlyDictionary<long, string> TasksV3(string folder)
    {
        string path = Path.Combine(folder, "meta", "tasks.parquet");
        var tasks = new SortedDictionary<long, string>();
        if (!File.Exists(path))
            return tasks;
        try
        {
            var columns = ParquetBatches.Columns(path);
            // pandas writes the index (the task strings) as a column named after the index ("task"),
            // or "__index_level_0__" when the index has no name.
            string taskColumn = columns.Contains("task") ? "task" : columns.Contains("__index_level_0__") ? "__index_level_0__"
                : throw new DatasetFormatException(path, "task", "no task strings (neither a 'task' index nor '__index_level_0__')");
            if (!columns.Contains("task_index"))
                throw new DatasetFormatException(path, "task_index", "column missing");
            foreach (var batch in ParquetBatches.Read(path, [taskColumn, "task_index"]))
            {
                var text = batch.Column(taskColumn);
                for (int row = 0; row < batch.Length; row++)
                    tasks[Long(batch, "task_index", row)] = ArrowValues.String(text, row) ?? "";
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidCastException or ParquetSharp.ParquetException)
        {
            throw new DatasetFormatException(path, null, $"cannot read tasks ({e.Message})", e);
        }

        return tasks;
    }

    private static IReadOnlyDictionary<long, string> TasksV21(string folder)
    {
        string path = Path.Combine(folder, "meta", "tasks.jsonl");
        var tasks = new SortedDictionary<long, string>();
        if (!File.Exists(path))
            return tasks;
        foreach (var (line, number) in JsonLines(path))
        {
            long index = line["task_index"]?.GetValue<long>() ?? throw new DatasetFormatException(path, "task_index", $"missing on line {number}");
            tasks[index] = line["task"]?.GetValue<string>() ?? throw new DatasetFormatException(path, "task", $"missing on line {number}");
        }

        return tasks;
    }

    private static IEnumerable<(JsonObject Line, int Number)> JsonLines(string path)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, null, "missing (a v2.1 folder lists its episodes there)");
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            JsonObject line;
            try
            {
                line = JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(path, null, $"line {number} is not a JSON object ({e.Message})", e);
            }

            yield return (line, number);
        }
    }

    internal static long Long(RecordBatch batch, string name, int row) => batch.Column(name) switch
    {
        Int64Array a => a.GetValue(row) ?? throw new InvalidDataException($"'{name}' is null at row {row}"),
        Int32Array a => a.GetValue(row) ?? throw new InvalidDataException($"'{name}' is null at row {row}"),
        UInt64Array a => checked((long)(a.GetValue(row) ?? throw new InvalidDataException($"'{name}' is null at row {row}"))),
        var other => throw new InvalidDataException($"'{name}' is {other?.Data.DataType.Name ?? "missing"}, not an integer"),
    };

    internal static double Double(RecordBatch batch, string name, int row) => batch.Column(name) switch
    {
        DoubleArray a => a.GetValue(row) ?? throw new InvalidDataException($"'{name}' is null at row {row}"),
        FloatArray a => a.GetValue(row) ?? throw new InvalidDataException($"'{name}' is null at row {row}"),
        var other => throw new InvalidDataException($"'{name}' is {other?.Data.DataType.Name ?? "missing"}, not a float"),
    };

    internal static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
