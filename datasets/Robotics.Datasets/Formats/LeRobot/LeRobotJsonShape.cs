using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet.Schema;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// The Arrow type pyarrow infers for a set of JSON-like values (pa.array over python dicts and lists), which is
/// how lerobot's own annotation writer stores language tool_calls (steerable_pipeline/writer.py lets pyarrow
/// infer them: structs for objects, fields in order of first appearance, a key missing from one object null
/// there, int64 for integers, double once any number has a fraction, a list's element type merged over all
/// lists). Values whose types pyarrow cannot unify (a string here, an object there) have no shape: null.
/// </summary>
public abstract record LeRobotJsonShape
{
    public sealed record Leaf(JsonValueKind Kind, bool Integer) : LeRobotJsonShape;

    public sealed record Struct(IReadOnlyList<(string Name, LeRobotJsonShape Shape)> Fields) : LeRobotJsonShape;

    public sealed record List(LeRobotJsonShape Element) : LeRobotJsonShape;

    /// <summary>Only nulls seen so far (pyarrow's null type); merges with anything.</summary>
    public sealed record Nothing : LeRobotJsonShape;

    /// <summary>The shape of all <paramref name="values"/>, or null when pyarrow could not unify them.</summary>
    public static LeRobotJsonShape? Infer(IEnumerable<JsonNode?> values)
    {
        LeRobotJsonShape? shape = new Nothing();
        foreach (var value in values)
        {
            shape = Merge(shape, Of(value));
            if (shape is null)
                return null;
        }

        return shape;
    }

    private static LeRobotJsonShape? Of(JsonNode? node) => node switch
    {
        null => new Nothing(),
        JsonObject o => o.Aggregate((LeRobotJsonShape?)new Struct([]), (s, kv) => s is Struct st && Of(kv.Value) is { } field ? Merge(st, new Struct([(kv.Key, field)])) : null),
        JsonArray a => Infer(a) is { } element ? new List(element) : null,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => new Leaf(JsonValueKind.String, false),
            JsonValueKind.True or JsonValueKind.False => new Leaf(JsonValueKind.True, false),
            JsonValueKind.Number => new Leaf(JsonValueKind.Number, v.TryGetValue(out long _)),
            _ => new Nothing(),
        },
        _ => null,
    };

    private static LeRobotJsonShape? Merge(LeRobotJsonShape? a, LeRobotJsonShape? b)
    {
        if (a is null || b is null)
            return null;
        if (a is Nothing)
            return b;
        if (b is Nothing)
            return a;
        switch (a, b)
        {
            case (Leaf x, Leaf y) when x.Kind == y.Kind:
                return new Leaf(x.Kind, x.Integer && y.Integer);
            case (List x, List y):
                return Merge(x.Element, y.Element) is { } element ? new List(element) : null;
            case (Struct x, Struct y):
            {
                var fields = x.Fields.ToList();
                foreach (var (name, shape) in y.Fields)
                {
                    int i = fields.FindIndex(f => f.Name == name);
                    if (i < 0)
                    {
                        fields.Add((name, shape));
                        continue;
                    }

                    if (Merge(fields[i].Shape, shape) is not { } merged)
                        return null;
                    fields[i] = (name, merged);
                }

                return new Struct(fields);
            }

            default:
                return null;
        }
    }

    /// <summary>The parquet field Parquet.Net writes for this shape (every level nullable, as pyarrow's inferred fields are).</summary>
    public Field ToField(string name) => this switch
    {
        Struct s => new StructField(name, s.Fields.Select(f => f.Shape.ToField(f.Name)).ToArray()),
        List l => new ListField(name, l.Element.ToField("element")),
        Leaf { Kind: JsonValueKind.Number, Integer: true } => new DataField<long>(name, true),
        Leaf { Kind: JsonValueKind.Number } => new DataField<double>(name, true),
        Leaf { Kind: JsonValueKind.True } => new DataField<bool>(name, true),
        _ => new DataField<string>(name, true),
    };

    /// <summary><paramref name="node"/> as the CLR value Parquet.Net stripes for this shape.</summary>
    public object? ToValue(JsonNode? node) => this switch
    {
        Struct s => node is JsonObject o ? s.Fields.ToDictionary(f => f.Name, f => f.Shape.ToValue(o[f.Name])) : Empty(s),
        List l => node is JsonArray a ? Typed(l.Element, a.Select(l.Element.ToValue).ToArray()) : Typed(l.Element, []),
        Leaf { Kind: JsonValueKind.Number, Integer: true } => node is JsonValue v ? v.GetValue<long>() : (long?)null,
        Leaf { Kind: JsonValueKind.Number } => node is JsonValue v ? v.GetValue<double>() : (double?)null,
        Leaf { Kind: JsonValueKind.True } => node is JsonValue v ? v.GetValue<bool>() : (bool?)null,
        // Parquet.Net 6 stripes strings as ReadOnlyMemory<char>?; an untyped null would become an empty string.
        _ => node is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>().AsMemory() : (ReadOnlyMemory<char>?)null,
    };

    // A struct missing from a row is written with every field null (Parquet.Net's untyped writer has no null struct).
    private static Dictionary<string, object?> Empty(Struct s) => s.Fields.ToDictionary(f => f.Name, f => f.Shape.ToValue(null));

    /// <summary>A list's values as the typed array Parquet.Net expects (long?[], Dictionary[] ...).</summary>
    private static Array Typed(LeRobotJsonShape element, object?[] values)
    {
        Type type = element switch
        {
            Struct => typeof(Dictionary<string, object?>),
            List l => Typed(l.Element, []).GetType(),
            Leaf { Kind: JsonValueKind.Number, Integer: true } => typeof(long?),
            Leaf { Kind: JsonValueKind.Number } => typeof(double?),
            Leaf { Kind: JsonValueKind.True } => typeof(bool?),
            _ => typeof(ReadOnlyMemory<char>?),
        };
        var array = Array.CreateInstance(type, values.Length);
        for (int i = 0; i < values.Length; i++)
            array.SetValue(values[i], i);
        return array;
    }
}
