using System.Runtime.InteropServices;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>Converts raw little-endian element bytes of any numeric dtype to float32.</summary>
public static class ElementConverter
{
    public static void ToFloats(DType dtype, ReadOnlySpan<byte> raw, Span<float> destination, string key)
    {
        switch (dtype)
        {
            case DType.Float32:
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination);
                break;
            case DType.Float64:
                Convert(MemoryMarshal.Cast<byte, double>(raw), destination, v => (float)v);
                break;
            case DType.Int64:
                Convert(MemoryMarshal.Cast<byte, long>(raw), destination, v => v);
                break;
            case DType.Int32:
                Convert(MemoryMarshal.Cast<byte, int>(raw), destination, v => v);
                break;
            case DType.Int16:
                Convert(MemoryMarshal.Cast<byte, short>(raw), destination, v => v);
                break;
            case DType.Int8:
                Convert(MemoryMarshal.Cast<byte, sbyte>(raw), destination, v => v);
                break;
            case DType.UInt64:
                Convert(MemoryMarshal.Cast<byte, ulong>(raw), destination, v => v);
                break;
            case DType.UInt32:
                Convert(MemoryMarshal.Cast<byte, uint>(raw), destination, v => v);
                break;
            case DType.UInt16:
                Convert(MemoryMarshal.Cast<byte, ushort>(raw), destination, v => v);
                break;
            case DType.UInt8:
            case DType.Bool:
                for (int i = 0; i < raw.Length; i++)
                    destination[i] = raw[i];
                break;
            default:
                throw new InvalidDataException($"'{key}' is {dtype.ToNumpy()}; it has no numeric value.");
        }
    }

    private static void Convert<T>(ReadOnlySpan<T> source, Span<float> destination, Func<T, float> convert)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = convert(source[i]);
    }
}
