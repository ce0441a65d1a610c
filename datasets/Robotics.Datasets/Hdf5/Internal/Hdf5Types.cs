using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Hdf5.Internal;

/// <summary>Maps HDF5 element types to <see cref="DType"/> and moves raw rows between PureHDF and byte buffers.</summary>
internal static class Hdf5Types
{
    /// <summary>The dtype of an HDF5 type, or null when the type is not one a trajectory column holds.</summary>
    public static DType? ToDType(IH5DataType type) => type.Class switch
    {
        H5DataTypeClass.FloatingPoint when type.Size == 4 => DType.Float32,
        H5DataTypeClass.FloatingPoint when type.Size == 8 => DType.Float64,
        H5DataTypeClass.FixedPoint when type.Size == 1 && !type.FixedPoint.IsSigned => DType.UInt8,
        H5DataTypeClass.FixedPoint when type.Size == 4 && type.FixedPoint.IsSigned => DType.Int32,
        H5DataTypeClass.FixedPoint when type.Size == 8 && type.FixedPoint.IsSigned => DType.Int64,
        // h5py stores numpy bool as an 8-bit enum {FALSE: 0, TRUE: 1}.
        H5DataTypeClass.Enumerated when type.Size == 1 => DType.Bool,
        H5DataTypeClass.BitField when type.Size == 1 => DType.Bool,
        H5DataTypeClass.String or H5DataTypeClass.VariableLength => DType.String,
        _ => null,
    };

    public static string Describe(IH5DataType type) => $"{type.Class} of {type.Size} bytes";

    /// <summary>Reads rows [start, start + count) of a dataset of rank >= 1 into <paramref name="destination"/>.</summary>
    public static void ReadRows(IH5Dataset dataset, DType dtype, ulong[] dims, long start, int count, Span<byte> destination)
    {
        var selection = RowSelection(dims, start, count);
        ulong elements = selection.TotalElementCount;
        ulong[] memoryDims = [elements];
        var native = (NativeDataset)dataset;
        switch (dtype)
        {
            case DType.Float32:
                native.Read(MemoryMarshal.Cast<byte, float>(destination), selection, null, memoryDims);
                break;
            case DType.Float64:
                native.Read(MemoryMarshal.Cast<byte, double>(destination), selection, null, memoryDims);
                break;
            case DType.Int64:
                native.Read(MemoryMarshal.Cast<byte, long>(destination), selection, null, memoryDims);
                break;
            case DType.Int32:
                native.Read(MemoryMarshal.Cast<byte, int>(destination), selection, null, memoryDims);
                break;
            case DType.UInt8:
            case DType.Bool:
                native.Read(destination, selection, null, memoryDims);
                break;
            default:
                throw new InvalidDataException($"{dtype.ToNumpy()} cannot be read row by row.");
        }
    }

    public static Selection RowSelection(ulong[] dims, long start, int count)
    {
        if (dims.Length == 1)
            return new HyperslabSelection((ulong)start, (ulong)count);
        var starts = new ulong[dims.Length];
                var counts = Enumerable.Repeat(1UL, dims.Length).ToArray();
        var blocks = (ulong[])dims.Clone();
        starts[0] = (ulong)start;
        blocks[0] = (ulong)count;
        return new HyperslabSelection(dims.Length, starts, blocks, counts, blocks);
    }

    /// <summary>The typed array PureHDF writes for an <see cref="NdArray"/>'s bytes.</summary>
    public static object ToTypedArray(NdArray array) => array.DType switch
    {
        DType.Float32 => MemoryMarshal.Cast<byte, float>(array.Data).ToArray(),
        DType.Float64 => MemoryMarshal.Cast<byte, double>(array.Data).ToArray(),
        DType.Int64 => MemoryMarshal.Cast<byte, long>(array.Data).ToArray(),
        DType.Int32 => MemoryMarshal.Cast<byte, int>(array.Data).ToArray(),
        DType.UInt8 => array.Data,
        DType.Bool => Array.ConvertAll(array.Data, b => b != 0 ? NumpyBool.TRUE : NumpyBool.FALSE),
        _ => throw new ArgumentException($"{array.DType.ToNumpy()} has no HDF5 numeric type."),
    };
}
