using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.LeRobot.Internal;

/// <summary>Rows of flat-layout columns as the CLR values Parquet.Net 6's untyped serializer stripes.</summary>
internal static class ParquetRows
{
    /// <summary>
    /// Row <paramref name="i"/> of a column of any row rank >= 2 as nested typed arrays (float[][][] for rank 3),
    /// the list-of-lists storage of datasets' Array2D .. Array5D.
    /// </summary>
    public static object Nested(NdArray array, long i, int[] rowShape)
    {
        long inner = 1;
        for (int d = 0; d < rowShape.Length - 1; d++)
            inner *= rowShape[d];
        return Level(array, i * inner, rowShape, 0);
    }

    private static object Level(NdArray array, long firstInnerRow, int[] shape, int level)
    {
        if (level == shape.Length - 1)
            return Value(array, firstInnerRow, shape[^1], scalar: false);
        long stride = 1;
        for (int d = level + 1; d < shape.Length - 1; d++)
            stride *= shape[d];
        var children = new object[shape[level]];
        for (int c = 0; c < children.Length; c++)
            children[c] = Level(array, firstInnerRow + c * stride, shape, level + 1);
        // Typed, not object[]: Parquet.Net stripes nested lists from their element types.
        var typed = Array.CreateInstance(ElementType(array, shape.Length - level - 1), children.Length);
        Array.Copy(children, typed, children.Length);
        return typed;
    }

    /// <summary>The CLR type of a nesting level <paramref name="depth"/> lists deep (1: float[] for float32).</summary>
    private static Type ElementType(NdArray array, int depth)
    {
        Type type = Value(array, 0, 1, scalar: true).GetType().MakeArrayType();
        for (int d = 1; d < depth; d++)
            type = type.MakeArrayType();
        return type;
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
