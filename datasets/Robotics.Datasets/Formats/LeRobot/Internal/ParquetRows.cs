using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.LeRobot.Internal;

/// <summary>Rows of flat-layout columns as the CLR values Parquet.Net 6's untyped serializer stripes.</summary>
internal static class ParquetRows
{
    /// <summary>Row <paramref name="i"/> of an (N, a, b) column as a jagged a x b array, as Parquet.Net stripes lists of lists.</summary>
    public static object Jagged(NdArray array, long i, int a, int b)
    {
        var rows = new object[a];
        for (int r = 0; r < a; r++)
            rows[r] = Value(array, i * a + r, b, scalar: false);
        return array.DType switch
        {
            DType.Float32 => rows.Cast<float[]>().ToArray(),
            DType.Float64 => rows.Cast<double[]>().ToArray(),
            DType.Int64 => rows.Cast<long[]>().ToArray(),
            DType.Int32 => rows.Cast<int[]>().ToArray(),
            DType.Int16 => rows.Cast<short[]>().ToArray(),
            DType.Int8 => rows.Cast<sbyte[]>().ToArray(),
            DType.UInt8 => rows.Cast<byte[]>().ToArray(),
            DType.UInt16 => rows.Cast<ushort[]>().ToArray(),
            DType.UInt32 => rows.Cast<uint[]>().ToArray(),
            DType.UInt64 => rows.Cast<ulong[]>().ToArray(),
            DType.Bool => rows.Cast<bool[]>().ToArray(),
            _ => throw new ArgumentException($"{array.DType.ToNumpy()} cannot be written."),
        };
    }

    /// <summary>Row <paramref name="i"/> of a column as the CLR value Parquet.Net stripes: a boxed scalar or a typed array.</summary>
    public static object Value(NdArray array, long i, int width, bool scalar)
    {
        int size = array.DType.ByteSize();
        var bytes = array.Data.AsSpan(checked((int)(i * width * size)), width * size);
        return array.DType switch
        {
            DType.Float32 => Typed(MemoryMarshal.Cast<byte, float>(bytes), scalar),
            DType.Float64 => Typed(MemoryMarshal.Cast<byte, double>(bytes), scalar),
            DType.Int64 => Typed(MemoryMarshal.Cast<byte, long>(bytes), scalar),
            DType.Int32 => Typed(MemoryMarshal.Cast<byte, int>(bytes), scalar),
            DType.Int16 => Typed(MemoryMarshal.Cast<byte, short>(bytes), scalar),
            DType.Int8 => Typed(MemoryMarshal.Cast<byte, sbyte>(bytes), scalar),
            DType.UInt8 => Typed<byte>(bytes, scalar),
            DType.UInt16 => Typed(MemoryMarshal.Cast<byte, ushort>(bytes), scalar),
            DType.UInt32 => Typed(MemoryMarshal.Cast<byte, uint>(bytes), scalar),
            DType.UInt64 => Typed(MemoryMarshal.Cast<byte, ulong>(bytes), scalar),
            DType.Bool => scalar ? bytes[0] != 0 : (object)bytes.ToArray().Select(b => b != 0).ToArray(),
            _ => throw new ArgumentException($"{array.DType.ToNumpy()} cannot be written."),
        };
    }

    private static object Typed<T>(ReadOnlySpan<T> values, bool scalar) where T : unmanaged => scalar ? values[0] : values.ToArray();
}
