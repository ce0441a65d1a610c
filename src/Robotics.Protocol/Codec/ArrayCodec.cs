using MessagePack;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Protocol.Codec;

/// <summary>
/// Arrays on the wire, as openpi's msgpack_numpy writes them: a map
/// <c>{"__ndarray__": true, "data": bin (C-order, little-endian), "dtype": numpy dtype.str such as "&lt;f4", "shape": [ints]}</c>.
/// Readers also accept plain numpy names ("float32"); big-endian dtypes are refused.
/// </summary>
public static class ArrayCodec
{
    public const int MaxRank = 8;

    public static string ToWireDType(DType dtype) => dtype switch
    {
        DType.Float32 => "<f4",
        DType.Float64 => "<f8",
        DType.Int64 => "<i8",
        DType.Int32 => "<i4",
        DType.UInt8 => "|u1",
        DType.Bool => "|b1",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no array dtype on the wire"),
    };

    public static void Write(ref MessagePackWriter writer, NdArray array)
    {
        writer.WriteMapHeader(4);
        writer.Write("__ndarray__");
        writer.Write(true);
        writer.Write("data");
        writer.Write(array.Data);
        writer.Write("dtype");
        writer.Write(ToWireDType(array.DType));
        writer.Write("shape");
        writer.WriteArrayHeader(array.Shape.Length);
        foreach (int d in array.Shape)
            writer.Write(d);
    }

    public static NdArray Read(object? value, string path)
    {
        var fields = FieldReader.FromValue(value, path);
        if (!fields.Bool("__ndarray__"))
            throw new ProtocolException(ProtocolErrorCode.BadArray, "an array must be a map with \"__ndarray__\": true", path);
        string dtypeName = fields.String("dtype");
        if (dtypeName.StartsWith('>'))
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"big-endian dtype '{dtypeName}' is not allowed; send little-endian", fields.Key("dtype"));
        if (!DTypeNames.TryParseNumpy(dtypeName, out var dtype) || dtype == DType.String)
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"unsupported dtype '{dtypeName}' (use <f4, <f8, <i8, <i4, |u1, |b1)", fields.Key("dtype"));
        if (fields.Raw("shape") is not object?[] dims)
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"shape must be a list of integers, got {FieldReader.Describe(fields.Raw("shape"))}", fields.Key("shape"));
        if (dims.Length > MaxRank)
            throw new ProtocolException(ProtocolErrorCode.BadArray, $"rank {dims.Length} exceeds {MaxRank}", fields.Key("shape"));
        var shape = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = FieldReader.AsInt(dims[i], $"{fields.Key("shape")}[{i}]");
            if (d < 0 || d > int.MaxValue)
                throw new ProtocolException(ProtocolErrorCode.BadArray, $"dimension {d} is out of range", $"{fields.Key("shape")}[{i}]");
            shape[i] = (int)d;
            count *= d; // both factors <= int.MaxValue, so no overflow before the check below
            if (count > int.MaxValue)
                throw new ProtocolException(ProtocolErrorCode.BadArray, "array has too many elements", fields.Key("shape"));
        }

        byte[] data = fields.OptionalBytes("data") ?? throw new ProtocolException(ProtocolErrorCode.MissingField, "required field is missing", fields.Key("data"));
        long expected = count * dtype.ByteSize();
        if (expected != data.Length)
            throw new ProtocolException(ProtocolErrorCode.BadArray,
                $"shape [{string.Join(", ", shape)}] of {dtype.ToNumpy()} needs {expected} bytes, data has {data.Length}", fields.Key("data"));
        return new NdArray(dtype, shape, data);
    }
}
