using System.Runtime.InteropServices;
using Robotics.Core.Shapes;

namespace Robotics.Core.Arrays;

/// <summary>
/// A dense n-dimensional array as plain data: element type, shape and little-endian C-order bytes.
/// The boundary type between datasets, the wire and policies (TorchSharp tensors never cross it).
/// </summary>
public sealed class NdArray
{
    public NdArray(DType dtype, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (dtype == DType.String)
            throw new ArgumentException("NdArray holds numeric or bool elements; strings travel as plain text.", nameof(dtype));
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Negative dimension in shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        long expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.ByteSize();
        if (expected != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] of {dtype.ToNumpy()} needs {expected} bytes, got {data.Length}.", nameof(data));
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public DType DType { get; }
    public int[] Shape { get; }
    public byte[] Data { get; }
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static NdArray FromFloats(float[] values, params int[] shape) =>
        new(DType.Float32, shape.Length == 0 ? [values.Length] : shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static NdArray FromBytes(byte[] values, params int[] shape) => new(DType.UInt8, shape, values.ToArray());

    /// <summary>The elements as float32, converting from any numeric dtype.</summary>
    public float[] ToFloats() => DType switch
    {
        DType.Float32 => MemoryMarshal.Cast<byte, float>(Data).ToArray(),
        DType.Float64 => Array.ConvertAll(MemoryMarshal.Cast<byte, double>(Data).ToArray(), v => (float)v),
        DType.Int64 => Array.ConvertAll(MemoryMarshal.Cast<byte, long>(Data).ToArray(), v => (float)v),
        DType.Int32 => Array.ConvertAll(MemoryMarshal.Cast<byte, int>(Data).ToArray(), v => (float)v),
        DType.UInt8 or DType.Bool => Array.ConvertAll(Data, v => (float)v),
        DType.Int8 => Array.ConvertAll(MemoryMarshal.Cast<byte, sbyte>(Data).ToArray(), v => (float)v),
        DType.Int16 => Array.ConvertAll(MemoryMarshal.Cast<byte, short>(Data).ToArray(), v => (float)v),
        DType.UInt16 => Array.ConvertAll(MemoryMarshal.Cast<byte, ushort>(Data).ToArray(), v => (float)v),
        DType.UInt32 => Array.ConvertAll(MemoryMarshal.Cast<byte, uint>(Data).ToArray(), v => (float)v),
        DType.UInt64 => Array.ConvertAll(MemoryMarshal.Cast<byte, ulong>(Data).ToArray(), v => (float)v),
        _ => throw new InvalidOperationException($"Cannot convert {DType.ToNumpy()} to float32."),
    };

    /// <summary>A typed view of the bytes; <typeparamref name="T"/> must match <see cref="DType"/>'s size.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Data);

    public override string ToString() => $"{DType.ToNumpy()}[{string.Join(", ", Shape)}]";
}
