using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Schema;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// lerobot's language columns (language.py): language_persistent, a list per row of
/// struct{role, content, style, timestamp: float32, camera, tool_calls: list&lt;json&gt;}, and
/// language_events, the same without timestamp. The reader keeps each row as JSON text; this turns it
/// back into the parquet layout. tool_calls are written as lerobot's own annotation writer stores them: with
/// the type pyarrow infers from the calls (<see cref="LeRobotJsonShape"/>: structs for objects). Calls that
/// are strings (as read from a json-typed or string column), or whose types pyarrow could not unify, are
/// written as strings (JSON text for non-strings), the string fallback upstream's schema has.
/// </summary>
public static class LeRobotLanguage
{
    public const string Persistent = "language_persistent";
    public const string Events = "language_events";

    /// <summary>The structured shape of every tool call in <paramref name="rows"/> (JSON rows of one column), or null for the string layout.</summary>
    public static LeRobotJsonShape? ToolCalls(IEnumerable<string> rows)
    {
        var calls = rows.SelectMany(json => (JsonNode.Parse(json) as JsonArray ?? [])
            .SelectMany(entry => (entry?["tool_calls"] as JsonArray) ?? []));
        return LeRobotJsonShape.Infer(calls) is { } shape and not LeRobotJsonShape.Nothing and not LeRobotJsonShape.Leaf { Kind: JsonValueKind.String } ? shape : null;
    }

    public static Field Field(string feature, LeRobotJsonShape? toolCalls = null)
    {
        // content, style and camera are nullable upstream (camera is null for every style that is not view-dependent).
        var fields = new List<Field> { new DataField<string>("role"), new DataField<string>("content", true), new DataField<string>("style", true) };
        if (feature != Events)
            fields.Add(new DataField<float>("timestamp"));
        fields.Add(new DataField<string>("camera", true));
        fields.Add(new ListField("tool_calls", toolCalls?.ToField("element") ?? new DataField<string>("element")));
        return new ListField(feature, new StructField("element", fields.ToArray()));
    }

    /// <summary>One row's JSON (an array of objects) as the values Parquet.Net's untyped serializer stripes.</summary>
    public static object Rows(string json, string feature, LeRobotJsonShape? toolCalls = null)
    {
        var array = JsonNode.Parse(json) as JsonArray ?? throw new InvalidDataException($"'{feature}': a language row is a JSON array, got {json}");
        return array.Select(node =>
        {
            var item = node as JsonObject ?? throw new InvalidDataException($"'{feature}': a language entry is an object, got {node?.ToJsonString()}");
            var row = new Dictionary<string, object?>
            {
                ["role"] = Text(item["role"]),
                ["content"] = Text(item["content"]),
                ["style"] = Text(item["style"]),
                ["camera"] = Text(item["camera"]),
                ["tool_calls"] = toolCalls is null
                    ? (item["tool_calls"] as JsonArray)?.Select(Text).ToArray() ?? []
                    : new LeRobotJsonShape.List(toolCalls).ToValue(item["tool_calls"]),
            };
            if (feature != Events)
                row["timestamp"] = item["timestamp"]?.GetValue<float>() ?? 0f;
            return row;
        }).ToArray();
    }

    // Parquet.Net 6 stripes strings as ReadOnlyMemory<char>?; a JSON value that is not a string is kept as its JSON text.
    // The null arm is typed: an untyped null would convert through char[] to an empty, non-null memory.
    private static ReadOnlyMemory<char>? Text(JsonNode? node) => node switch
    {
        null => (ReadOnlyMemory<char>?)null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().AsMemory(),
        _ => node.ToJsonString().AsMemory(),
    };
}
