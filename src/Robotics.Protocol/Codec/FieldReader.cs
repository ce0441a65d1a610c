using Robotics.Core.Arrays;

namespace Robotics.Protocol.Codec;

/// <summary>Typed access to a decoded map; every failure names the full key path (e.g. <c>body.state.shape</c>).</summary>
public sealed class FieldReader
{
    private readonly IReadOnlyDictionary<string, object?> _map;

    public FieldReader(IReadOnlyDictionary<string, object?> map, string path)
    {
        _map = map;
        Path = path;
    }

    public string Path { get; }

    public static FieldReader FromValue(object? value, string path) => value is Dictionary<string, object?> map
        ? new FieldReader(map, path)
        : throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a map, got {Describe(value)}", path);

    public string Key(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _map.TryGetValue(key, out var v) && v is not null;

    public object? Raw(string key) => _map.TryGetValue(key, out var v) ? v : null;

    private object Required(string key) => _map.TryGetValue(key, out var v) && v is not null
        ? v
        : throw new ProtocolException(ProtocolErrorCode.MissingField, "required field is missing", Key(key));

    public long Int(string key) => AsInt(Required(key), Key(key));

    public long? OptionalInt(string key) => Has(key) ? Int(key) : null;

    public int Int32(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        long v = Int(key);
        if (v < min || v > max)
            throw new ProtocolException(ProtocolErrorCode.InvalidValue, $"{v} is outside [{min}, {max}]", Key(key));
        return (int)v;
    }

    public int? OptionalInt32(string key, int min = int.MinValue, int max = int.MaxValue) => Has(key) ? Int32(key, min, max) : null;

    public ulong UInt(string key) => Required(key) switch
    {
        long l when l >= 0 => (ulong)l,
        ulong u => u,
        var other => throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a non-negative integer, got {Describe(other)}", Key(key)),
    };

    public double Double(string key) => Required(key) switch
    {
        double d => d,
        long l => l,
        var other => throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a number, got {Describe(other)}", Key(key)),
    };

    public bool Bool(string key, bool fallback = false) => Raw(key) switch
    {
        null => fallback,
        bool b => b,
        var other => throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a bool, got {Describe(other)}", Key(key)),
    };

    public string String(string key) => Required(key) as string
        ?? throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a string, got {Describe(Raw(key))}", Key(key));

    public string? OptionalString(string key) => Has(key) ? String(key) : null;

    public byte[]? OptionalBytes(string key) => Raw(key) switch
    {
        null => null,
        byte[] b => b,
        var other => throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected binary, got {Describe(other)}", Key(key)),
    };

    public FieldReader Map(string key) => FromValue(Required(key), Key(key));

    public FieldReader? OptionalMap(string key) => Has(key) ? Map(key) : null;

    public IEnumerable<string> Keys => _map.Keys;

    public IReadOnlyList<string> OptionalStringList(string key) => Has(key) ? StringList(key) : [];

    public IReadOnlyList<string> StringList(string key)
    {
        Required(key);
        if (Raw(key) is not object?[] items)
            throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a list, got {Describe(Raw(key))}", Key(key));
        var result = new string[items.Length];
        for (int i = 0; i < items.Length; i++)
            result[i] = items[i] as string ?? throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected a string, got {Describe(items[i])}", $"{Key(key)}[{i}]");
        return result;
    }

    public NdArray Array(string key) => ArrayCodec.Read(Required(key), Key(key));

    public static long AsInt(object? value, string path) => value switch
    {
        long l => l,
        ulong => throw new ProtocolException(ProtocolErrorCode.InvalidValue, "integer too large", path),
        _ => throw new ProtocolException(ProtocolErrorCode.WrongType, $"expected an integer, got {Describe(value)}", path),
    };

    public static string Describe(object? value) => value switch
    {
        null => "nil",
        bool => "bool",
        long or ulong => "integer",
        double => "float",
        string => "string",
        byte[] => "binary",
        object?[] => "list",
        Dictionary<string, object?> => "map",
        _ => value.GetType().Name,
    };
}
