using System.Globalization;
using System.Text.Json.Nodes;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// A gymnasium space as minari/serialization.py writes it into metadata.json ("observation_space",
/// "action_space"): Box, Discrete, MultiDiscrete, MultiBinary, Text, Dict and Tuple. The subtypes are
/// kept in this one file because they are a closed set parsed and written together.
/// </summary>
internal abstract record MinariSpace
{
    /// <summary>The element type of a leaf's stored rows (<see cref="DType.String"/> for Text); null for Dict / Tuple.</summary>
    public abstract DType? LeafDType { get; }

    /// <summary>The shape of one stored row of a leaf.</summary>
    public abstract IReadOnlyList<int> LeafShape { get; }

    public abstract JsonNode ToJson();

    /// <summary>Leaves in space order with their slash paths (Dict keys; Tuple members as "_index_i", as on disk).</summary>
    public IEnumerable<(string Path, MinariSpace Space)> Leaves(string prefix = "")
    {
        switch (this)
        {
            case DictSpace d:
                foreach (var (key, sub) in d.Entries)
                    foreach (var leaf in sub.Leaves(prefix + key + "/"))
                        yield return leaf;
                break;
            case TupleSpace t:
                for (int i = 0; i < t.Items.Count; i++)
                    foreach (var leaf in t.Items[i].Leaves($"{prefix}{MinariKeys.TupleMember(i)}/"))
                        yield return leaf;
                break;
            default:
                yield return (prefix.TrimEnd('/'), this);
                break;
        }
    }

    public bool IsNested => this is DictSpace or TupleSpace;

    /// <summary>Parses a serialised space (the JSON text stored in metadata.json); errors name the file and key.</summary>
    public static MinariSpace Parse(string text, string origin, string key)
    {
        JsonNode? node;
        try
        {
            node = PythonJson.Parse(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new DatasetFormatException(origin, key, $"not a serialised gymnasium space ({e.Message})", e);
        }

        return Parse(node, origin, key);
    }

    public static MinariSpace Parse(JsonNode? node, string origin, string key)
    {
        if (node is not JsonObject obj || obj["type"]?.GetValue<string>() is not { } type)
            throw new DatasetFormatException(origin, key, "a serialised space must be an object with a \"type\"");
        try
        {
            return type switch
            {
                "Box" => BoxSpace.FromJson(obj, origin, key),
                "Discrete" => new DiscreteSpace(obj["n"]!.GetValue<long>(), obj["start"]?.GetValue<long>() ?? 0),
                "MultiDiscrete" => new MultiDiscreteSpace(ParseDType(obj["dtype"]?.GetValue<string>() ?? "int64", origin, key), ShapeOf(obj["nvec"]), obj.DeepClone().AsObject()),
                "MultiBinary" => new MultiBinarySpace(obj["n"] is JsonArray n ? n.Select(x => x!.GetValue<int>()).ToArray() : [obj["n"]!.GetValue<int>()]),
                "Text" => new TextSpace(obj.DeepClone().AsObject()),
                "Dict" => new DictSpace(((obj["subspaces"] as JsonObject) ?? throw new DatasetFormatException(origin, key, "Dict space without \"subspaces\""))
                    .Select(p => new KeyValuePair<string, MinariSpace>(p.Key, Parse(p.Value, origin, $"{key}.{p.Key}"))).ToArray()),
                "Tuple" => new TupleSpace(((obj["subspaces"] as JsonArray) ?? throw new DatasetFormatException(origin, key, "Tuple space without \"subspaces\""))
                    .Select((s, i) => Parse(s, origin, $"{key}[{i}]")).ToArray()),
                _ => throw new DatasetFormatException(origin, key, $"space type '{type}' is not one Minari serialises (Box, Discrete, MultiDiscrete, MultiBinary, Text, Dict, Tuple)"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or System.Text.Json.JsonException)
        {
            throw new DatasetFormatException(origin, key, $"malformed {type} space ({e.Message})", e);
        }
    }

    internal static DType ParseDType(string name, string origin, string key) => DTypeNames.TryParseNumpy(name, out var dtype) && dtype != DType.String
        ? dtype
        : throw new DatasetFormatException(origin, key, $"dtype '{name}' is not one this library holds");

    private static int[] ShapeOf(JsonNode? node)
    {
        var shape = new List<int>();
        while (node is JsonArray a)
        {
            shape.Add(a.Count);
            node = a.Count > 0 ? a[0] : null;
        }

        return shape.ToArray();
    }
}

/// <summary>A Box: dtype, shape and element-wise bounds (flattened, row-major; ±inf allowed).</summary>
internal sealed record BoxSpace(DType DType, int[] Shape, double[] Low, double[] High) : MinariSpace
{
    public override DType? LeafDType => DType;

    public override IReadOnlyList<int> LeafShape => Shape;

    /// <summary>minari_storage.is_image_space: uint8, rank 2 or 3, at least 32 x 32, bounds exactly 0 and 255.</summary>
    public bool IsImage => DType == DType.UInt8 && Shape.Length is 2 or 3 && Shape[0] >= 32 && Shape[1] >= 32
        && Low.All(v => v == 0) && High.All(v => v == 255);

    /// <summary>
    /// The bounds gymnasium gives an unbounded Box of <paramref name="dtype"/>: ±inf for floats, the
    /// integer type's range for integers (so uint8 is 0..255), 0..1 for bool.
    /// </summary>
    public static BoxSpace Unbounded(DType dtype, int[] shape)
    {
        var (low, high) = dtype switch
        {
            DType.Float32 or DType.Float64 => (double.NegativeInfinity, double.PositiveInfinity),
            DType.Bool => (0d, 1d),
            DType.UInt8 => (byte.MinValue, byte.MaxValue),
            DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            DType.Int16 => (short.MinValue, short.MaxValue),
            DType.UInt16 => (ushort.MinValue, ushort.MaxValue),
            DType.Int32 => (int.MinValue, int.MaxValue),
            DType.UInt32 => (uint.MinValue, uint.MaxValue),
            DType.Int64 => (long.MinValue, long.MaxValue),
            DType.UInt64 => (ulong.MinValue, (double)ulong.MaxValue),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no Box for this dtype"),
        };
        int n = shape.Aggregate(1, (a, b) => a * b);
        return new BoxSpace(dtype, shape, Enumerable.Repeat(low, n).ToArray(), Enumerable.Repeat(high, n).ToArray());
    }

    public static BoxSpace FromJson(JsonObject obj, string origin, string key)
    {
        var dtype = ParseDType(obj["dtype"]?.GetValue<string>() ?? throw new DatasetFormatException(origin, key, "Box without \"dtype\""), origin, key);
        int[] shape = (obj["shape"] as JsonArray ?? throw new DatasetFormatException(origin, key, "Box without \"shape\"")).Select(d => d!.GetValue<int>()).ToArray();
        int n = shape.Aggregate(1, (a, b) => a * b);
        // Upstream's deserialiser needs low and high (KeyError otherwise); a file without them is read
        // by shape and dtype only, with gymnasium's unbounded defaults.
        var unbounded = Unbounded(dtype, shape);
        double[] low = obj.ContainsKey("low") ? Flatten(obj["low"], n, origin, $"{key}.low") : unbounded.Low;
        double[] high = obj.ContainsKey("high") ? Flatten(obj["high"], n, origin, $"{key}.high") : unbounded.High;
        return new BoxSpace(dtype, shape, low, high);
    }

    private static double[] Flatten(JsonNode? node, int count, string origin, string key)
    {
        var values = new List<double>(count);
        void Walk(JsonNode? n)
        {
            if (n is JsonArray a)
            {
                foreach (var item in a)
                    Walk(item);
            }
            else if (PythonJson.TryGetDouble(n, out double v))
            {
                values.Add(v);
            }
            else
            {
                throw new DatasetFormatException(origin, key, $"bound {n?.ToJsonString()} is not a number");
            }
        }

        Walk(node);
        // numpy broadcasts a scalar bound over the shape.
        if (values.Count == 1 && count != 1)
            return Enumerable.Repeat(values[0], count).ToArray();
        return values.Count == count ? values.ToArray() : throw new DatasetFormatException(origin, key, $"has {values.Count} values for a shape of {count} elements");
    }

    public override JsonNode ToJson() => new JsonObject
    {
        ["type"] = "Box",
        ["dtype"] = DType.ToNumpy(),
        ["shape"] = new JsonArray(Shape.Select(d => (JsonNode)d).ToArray()),
        ["low"] = Nest(Low),
        ["high"] = Nest(High),
    };

    /// <summary>Bounds as nested lists of the Box's shape, as numpy's tolist() writes them.</summary>
    private JsonNode Nest(double[] flat)
    {
        JsonNode Value(double v) => !double.IsFinite(v) ? PythonJson.NonFinite(v)
            : DType is DType.Float32 or DType.Float64 ? JsonValue.Create(v)
            : DType == DType.UInt64 && v >= long.MaxValue ? JsonValue.Create(ulong.MaxValue)
            : v >= long.MaxValue ? JsonValue.Create(long.MaxValue)
            : JsonValue.Create((long)v);
        if (Shape.Length == 0)
            return Value(flat[0]);
        int index = 0;
        JsonNode Build(int axis)
        {
            var array = new JsonArray();
            for (int i = 0; i < Shape[axis]; i++)
                array.Add(axis == Shape.Length - 1 ? Value(flat[index++]) : Build(axis + 1));
            return array;
        }

        return Build(0);
    }

    public override string ToString() => $"Box({DType.ToNumpy()}, [{string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}])";
}

internal sealed record DiscreteSpace(long N, long Start) : MinariSpace
{
    public override DType? LeafDType => DType.Int64;

    public override IReadOnlyList<int> LeafShape => [];

    public override JsonNode ToJson() => new JsonObject { ["type"] = "Discrete", ["dtype"] = "int64", ["start"] = Start, ["n"] = N };
}

internal sealed record MultiDiscreteSpace(DType DType, int[] Shape, JsonObject Source) : MinariSpace
{
    public override DType? LeafDType => DType;

    public override IReadOnlyList<int> LeafShape => Shape;

    public override JsonNode ToJson() => Source.DeepClone();
}

/// <summary>MultiBinary: gymnasium stores it as int8.</summary>
internal sealed record MultiBinarySpace(int[] Shape) : MinariSpace
{
    public override DType? LeafDType => DType.Int8;

    public override IReadOnlyList<int> LeafShape => Shape;

    public override JsonNode ToJson() => new JsonObject
    {
        ["type"] = "MultiBinary",
        ["n"] = Shape.Length == 1 ? JsonValue.Create(Shape[0]) : new JsonArray(Shape.Select(d => (JsonNode)d).ToArray()),
    };
}

/// <summary>Text: one UTF-8 string per row.</summary>
internal sealed record TextSpace(JsonObject Source) : MinariSpace
{
    public override DType? LeafDType => DType.String;

    public override IReadOnlyList<int> LeafShape => [];

    public override JsonNode ToJson() => Source.DeepClone();

    /// <summary>A Text space wide enough for <paramref name="values"/> (gymnasium's Text needs a charset).</summary>
    public static TextSpace For(IEnumerable<string> values)
    {
        var all = values.ToArray();
        string charset = new(all.SelectMany(s => s).Distinct().Order().ToArray());
        return new TextSpace(new JsonObject
        {
            ["type"] = "Text",
            ["max_length"] = Math.Max(1, all.Length == 0 ? 1 : all.Max(s => s.Length)),
            ["min_length"] = 0,
            ["charset"] = charset.Length == 0 ? " " : charset,
        });
    }
}

internal sealed record DictSpace(IReadOnlyList<KeyValuePair<string, MinariSpace>> Entries) : MinariSpace
{
    public override DType? LeafDType => null;

    public override IReadOnlyList<int> LeafShape => [];

    public override JsonNode ToJson()
    {
        var subspaces = new JsonObject();
        foreach (var (key, space) in Entries)
            subspaces[key] = space.ToJson();
        return new JsonObject { ["type"] = "Dict", ["subspaces"] = subspaces };
    }
}

internal sealed record TupleSpace(IReadOnlyList<MinariSpace> Items) : MinariSpace
{
    public override DType? LeafDType => null;

    public override IReadOnlyList<int> LeafShape => [];

    public override JsonNode ToJson() => new JsonObject { ["type"] = "Tuple", ["subspaces"] = new JsonArray(Items.Select(i => i.ToJson()).ToArray()) };
}
