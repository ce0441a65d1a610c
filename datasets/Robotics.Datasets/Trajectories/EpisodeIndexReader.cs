using System.Runtime.InteropServices;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>Reads an infos/episode_index column of any integer dtype as int64 (indices must be exact, so no float path).</summary>
public static class EpisodeIndexReader
{
    /// <summary>True when <paramref name="info"/> can hold episode numbers: one integer per row.</summary>
    public static bool IsIndexColumn(ColumnInfo info) => info.RowElements == 1 && info.DType is DType.Int64 or DType.Int32 or DType.Int16 or DType.Int8
        or DType.UInt8 or DType.UInt16 or DType.UInt32 or DType.UInt64;

    public static void ToLongs(DType dtype, ReadOnlySpan<byte> raw, Span<long> destination, string key)
    {
        switch (dtype)
        {
            case DType.Int64: MemoryMarshal.Cast<byte, long>(raw).CopyTo(destination); break;
            case DType.Int32: Widen(MemoryMarshal.Cast<byte, int>(raw), destination, v => v); break;
            case DType.Int16: Widen(MemoryMarshal.Cast<byte, short>(raw), destination, v => v); break;
            case DType.Int8: Widen(MemoryMarshal.Cast<byte, sbyte>(raw), destination, v => v); break;
            case DType.UInt8: Widen(raw, destination, v => v); break;
            case DType.UInt16: Widen(MemoryMarshal.Cast<byte, ushort>(raw), destination, v => v); break;
            case DType.UInt32: Widen(MemoryMarshal.Cast<byte, uint>(raw), destination, v => v); break;
            case DType.UInt64: Widen(MemoryMarshal.Cast<byte, ulong>(raw), destination, v => checked((long)v)); break;
            default: throw new InvalidDataException($"'{key}' is {dtype.ToNumpy()}; episode indices must be integers.");
        }
    }

    private static void Widen<T>(ReadOnlySpan<T> source, Span<long> destination, Func<T, long> widen)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = widen(source[i]);
    }
}
