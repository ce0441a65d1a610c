using System.Text.Json.Nodes;
using Parquet.Schema;
using Parquet.Serialization;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>meta/tasks.parquet of a v3.0 folder, laid out as pandas writes lerobot's tasks frame.</summary>
public static class LeRobotTasks
{
    /// <summary>
    /// tasks.parquet as pandas' DataFrame.to_parquet writes lerobot's tasks frame: a task_index column and
    /// the index (named "task") stored as a column, declared in the "pandas" key of the file metadata so
    /// that pd.read_parquet restores the strings as the index.
    /// </summary>
    public static void Write(string path, IReadOnlyList<string> instructions, CancellationToken cancellationToken = default)
    {
        var taskIndex = new DataField<long?>(FeatureKeys.TaskIndex);
        var task = new DataField<string>("task");
        var pandas = new JsonObject
        {
            ["index_columns"] = new JsonArray("task"),
            ["column_indexes"] = new JsonArray(new JsonObject
            {
                ["name"] = null, ["field_name"] = null, ["pandas_type"] = "unicode", ["numpy_type"] = "object",
                ["metadata"] = new JsonObject { ["encoding"] = "UTF-8" },
            }),
            ["columns"] = new JsonArray(
                new JsonObject { ["name"] = "task_index", ["field_name"] = "task_index", ["pandas_type"] = "int64", ["numpy_type"] = "int64", ["metadata"] = null },
                new JsonObject { ["name"] = "task", ["field_name"] = "task", ["pandas_type"] = "unicode", ["numpy_type"] = "object", ["metadata"] = null }),
            ["creator"] = new JsonObject { ["library"] = "pyarrow", ["version"] = "robotics" },
            ["pandas_version"] = "2.2.3",
        };
        var rows = instructions.Select((t, i) => (IDictionary<string, object?>)new Dictionary<string, object?> { [FeatureKeys.TaskIndex] = (long?)i, ["task"] = (ReadOnlyMemory<char>?)t.AsMemory() }).ToList();
        using var stream = File.Create(path);
        ParquetSerializer.SerializeUntypedAsync(rows, new ParquetSchema(taskIndex, task), stream, null, new Dictionary<string, string> { ["pandas"] = pandas.ToJsonString() }, cancellationToken).GetAwaiter().GetResult();
    }
}
