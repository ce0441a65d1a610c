namespace Robotics.Core.Shapes;

/// <summary>numpy dtype strings for <see cref="DType"/> ("float32", "<f4" style is handled by the wire codec).</summary>
public static class DTypeNames
{
    public static string ToNumpy(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.UInt8 => "uint8",
        DType.Bool => "bool",
        DType.String => "string",
        DType.Int8 => "int8",
        DType.Int16 => "int16",
        DType.UInt16 => "uint16",
        DType.UInt32 => "uint32",
        DType.UInt64 => "uint64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    public static bool TryParseNumpy(string name, out DType dtype)
    {
        dtype = name switch
        {
            "float32" or "<f4" or "f4" => DType.Float32,
            "float64" or "<f8" or "f8" => DType.Float64,
            "int64" or "<i8" or "i8" => DType.Int64,
            "int32" or "<i4" or "i4" => DType.Int32,
            "uint8" or "|u1" or "u1" => DType.UInt8,
            "bool" or "|b1" or "b1" => DType.Bool,
            "string" or "str" => DType.String,
            "int8" or "|i1" or "i1" => DType.Int8,
            "int16" or "<i2" or "i2" => DType.Int16,
            "uint16" or "<u2" or "u2" => DType.UInt16,
            "uint32" or "<u4" or "u4" => DType.UInt32,
            "uint64" or "<u8" or "u8" => DType.UInt64,
            _ => (DType)(-1),
        };
        return (int)dtype >= 0;
    }

    public static int ByteSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 or DType.UInt32 => 4,
        DType.Float64 or DType.Int64 or DType.UInt64 => 8,
        DType.Int16 or DType.UInt16 => 2,
        DType.UInt8 or DType.Int8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no fixed byte size"),
    };
}
