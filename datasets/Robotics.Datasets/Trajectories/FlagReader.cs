using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>Reads terminals/timeouts-like columns of any numeric dtype as truth values (non-zero is true).</summary>
public static class FlagReader
{
    public static bool[] ToFlags(NdArray array, string key)
    {
        if (array.Shape.Length > 2 || (array.Shape.Length == 2 && array.Shape[1] != 1))
            throw new InvalidDataException($"'{key}' has shape [{string.Join(", ", array.Shape)}]; expected (N,) or (N, 1).");
        return ToFlags(array.DType, array.Data, key);
    }

    public static bool[] ToFlags(DType dtype, ReadOnlySpan<byte> data, string key)
    {
        return dtype switch
        {
            DType.Bool or DType.UInt8 => ConvertBytes(data),
            DType.Float32 => Convert(MemoryMarshal.Cast<byte, float>(data), v => v != 0f),
            DType.Float64 => Convert(MemoryMarshal.Cast<byte, double>(data), v => v != 0d),
            DType.Int32 => Convert(MemoryMarshal.Cast<byte, int>(data), v => v != 0),
            DType.Int64 => Convert(MemoryMarshal.Cast<byte, long>(data), v => v != 0),
            DType.Int8 => Convert(MemoryMarshal.Cast<byte, sbyte>(data), v => v != 0),
            DType.Int16 => Convert(MemoryMarshal.Cast<byte, short>(data), v => v != 0),
            DType.UInt16 => Convert(MemoryMarshal.Cast<byte, ushort>(data), v => v != 0),
            DType.UInt32 => Convert(MemoryMarshal.Cast<byte, uint>(data), v => v != 0),
            DType.UInt64 => Convert(MemoryMarshal.Cast<byte, ulong>(data), v => v != 0),
            _ => throw new InvalidDataException($"'{key}' is {dtype.ToNumpy()}; cannot read it as flags."),
        };
    }

    private static bool[] ConvertBytes(ReadOnlySpan<byte> data)
    {
        var flags = new bool[data.Length];
        for (int i = 0; i < data.Length; i++)
            flags[i] = data[i] != 0;
        return flags;
    }

    private static bool[] Convert<T>(ReadOnlySpan<T> values, Func<T, bool> test)
    {
        var flags = new bool[values.Length];
        for (int i = 0; i < values.Length; i++)
            flags[i] = test(values[i]);
        return flags;
    }
}
