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
    public static void ReadRows(IH5Dataset dataset, DType dtype, ulong[] dims, long start, int count, Span<byte> destination, H5DatasetAccess access = default)
    {
        var selection = RowSelection(dims, start, count);
        // Memory shaped like the selected rows (not flat) lets PureHDF copy whole chunk runs at once.
        ulong[] memoryDims = [(ulong)count, .. dims[1..]];
        var native = (NativeDataset)dataset;
        switch (dtype)
        {
            case DType.Float32:
                native.Read(access, MemoryMarshal.Cast<byte, float>(destination), selection, null, memoryDims);
                break;
            case DType.Float64:
                native.Read(access, MemoryMarshal.Cast<byte, double>(destination), selection, null, memoryDims);
                break;
            case DType.Int64:
                native.Read(access, MemoryMarshal.Cast<byte, long>(destination), selection, null, memoryDims);
                break;
            case DType.Int32:
                native.Read(access, MemoryMarshal.Cast<byte, int>(destination), selection, null, memoryDims);
                break;
            case DType.UInt8:
            case DType.Bool:
                native.Read(access, destination, selection, null, memoryDims);
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

    /// <summary>A whole numeric dataset (any rank, scalars as shape []) as an <see cref="NdArray"/>; errors name the file and key.</summary>
    public static NdArray ReadArray(IH5Dataset dataset, string origin, string key)
    {
        try
        {
            var dtype = ToDType(dataset.Type);
            if (dtype is null or DType.String)
                throw new Trajectories.DatasetFormatException(origin, key, $"expected a numeric dataset, found {Describe(dataset.Type)}");
            ulong[] dims = dataset.Space.Dimensions;
            long elements = dims.Aggregate(1L, (a, b) => a * (long)b);
            var data = new byte[elements * dtype.Value.ByteSize()];
            var native = (NativeDataset)dataset;
            switch (dtype.Value)
            {
                case DType.Float32: native.Read(MemoryMarshal.Cast<byte, float>(data.AsSpan())); break;
                case DType.Float64: native.Read(MemoryMarshal.Cast<byte, double>(data.AsSpan())); break;
                case DType.Int64: native.Read(MemoryMarshal.Cast<byte, long>(data.AsSpan())); break;
                case DType.Int32: native.Read(MemoryMarshal.Cast<byte, int>(data.AsSpan())); break;
                default: native.Read(data.AsSpan()); break;
            }

            return new NdArray(dtype.Value, dims.Select(d => checked((int)d)).ToArray(), data);
        }
        catch (Exception e) when (e is not Trajectories.DatasetFormatException and not OutOfMemoryException)
        {
            throw new Trajectories.DatasetFormatException(origin, key, $"cannot read ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>A string attribute or a numeric one rendered as text; null when absent.</summary>
    public static string? ReadTextAttribute(IH5Object item, string name)
    {
        if (!item.AttributeExists(name))
            return null;
        var attribute = item.Attribute(name);
        return attribute.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength
            ? attribute.Read<string>()
            : ReadLongAttribute(item, name)?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static long? ReadLongAttribute(IH5Object item, string name)
    {
        if (!item.AttributeExists(name))
            return null;
        var attribute = item.Attribute(name);
        return attribute.Type.Class switch
        {
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 8 => attribute.Read<long>(),
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 4 => attribute.Read<int>(),
            H5DataTypeClass.FloatingPoint => (long)attribute.Read<double>(),
            _ => null,
        };
    }

    /// <summary>Datasets below <paramref name="group"/> keyed by slash path relative to it.</summary>
    public static IEnumerable<(string Key, IH5Dataset Dataset)> Walk(IH5Group group, string prefix = "")
    {
        foreach (var child in group.Children())
        {
            switch (child)
            {
                case IH5Group sub:
                    foreach (var item in Walk(sub, prefix + child.Name + "/"))
                        yield return item;
                    break;
                case IH5Dataset dataset:
                    yield return (prefix + child.Name, dataset);
                    break;
            }
        }
    }
}
