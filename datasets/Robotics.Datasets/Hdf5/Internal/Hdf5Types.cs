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
        H5DataTypeClass.FixedPoint => (type.Size, type.FixedPoint.IsSigned) switch
        {
            (1, false) => DType.UInt8,
            (1, true) => DType.Int8,
            (2, true) => DType.Int16,
            (2, false) => DType.UInt16,
            (4, true) => DType.Int32,
            (4, false) => DType.UInt32,
            (8, true) => DType.Int64,
            (8, false) => DType.UInt64,
            _ => null,
        },
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
        // Each dtype reads through its own element type so PureHDF converts byte order and checks sizes.
        switch (dtype)
        {
            case DType.Float32: native.Read(access, MemoryMarshal.Cast<byte, float>(destination), selection, null, memoryDims); break;
            case DType.Float64: native.Read(access, MemoryMarshal.Cast<byte, double>(destination), selection, null, memoryDims); break;
            case DType.Int64: native.Read(access, MemoryMarshal.Cast<byte, long>(destination), selection, null, memoryDims); break;
            case DType.Int32: native.Read(access, MemoryMarshal.Cast<byte, int>(destination), selection, null, memoryDims); break;
            case DType.Int16: native.Read(access, MemoryMarshal.Cast<byte, short>(destination), selection, null, memoryDims); break;
            case DType.Int8: native.Read(access, MemoryMarshal.Cast<byte, sbyte>(destination), selection, null, memoryDims); break;
            case DType.UInt64: native.Read(access, MemoryMarshal.Cast<byte, ulong>(destination), selection, null, memoryDims); break;
            case DType.UInt32: native.Read(access, MemoryMarshal.Cast<byte, uint>(destination), selection, null, memoryDims); break;
            case DType.UInt16: native.Read(access, MemoryMarshal.Cast<byte, ushort>(destination), selection, null, memoryDims); break;
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
        DType.Int16 => MemoryMarshal.Cast<byte, short>(array.Data).ToArray(),
        DType.Int8 => MemoryMarshal.Cast<byte, sbyte>(array.Data).ToArray(),
        DType.UInt64 => MemoryMarshal.Cast<byte, ulong>(array.Data).ToArray(),
        DType.UInt32 => MemoryMarshal.Cast<byte, uint>(array.Data).ToArray(),
        DType.UInt16 => MemoryMarshal.Cast<byte, ushort>(array.Data).ToArray(),
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
            ReadWhole((NativeDataset)dataset, dtype.Value, data);
            return new NdArray(dtype.Value, dims.Select(d => checked((int)d)).ToArray(), data);
        }
        catch (Exception e) when (e is not Trajectories.DatasetFormatException and not OutOfMemoryException)
        {
            throw new Trajectories.DatasetFormatException(origin, key, $"cannot read ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>A string dataset (fixed-length or variable-length, rank 1) as one string per row; errors name the file and key.</summary>
    public static string[] ReadStrings(IH5Dataset dataset, string origin, string key)
    {
        try
        {
            return dataset.Read<string[]>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Trajectories.DatasetFormatException(origin, key, $"cannot read as strings ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// The strings of a variable-length dataset, or null when it holds sequences instead: HDF5 marks
    /// string versus sequence only inside the type message, which PureHDF checks when decoding.
    /// </summary>
    public static string[]? TryReadStrings(IH5Dataset dataset)
    {
        try
        {
            return dataset.Read<string[]>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>A variable-length uint8 dataset (h5py.vlen_dtype(np.uint8)) as one byte array per row.</summary>
    public static byte[][] ReadByteSequences(IH5Dataset dataset, string origin, string key)
    {
        try
        {
            if (dataset.Type.VariableLength.BaseType is not { Class: H5DataTypeClass.FixedPoint, Size: 1 })
                throw new Trajectories.DatasetFormatException(origin, key, $"variable-length sequences of {Describe(dataset.Type.VariableLength.BaseType)}; only uint8 sequences (JPEG frames) are read");
            return dataset.Read<byte[][]>();
        }
        catch (Exception e) when (e is not Trajectories.DatasetFormatException and not OutOfMemoryException)
        {
            throw new Trajectories.DatasetFormatException(origin, key, $"cannot read variable-length bytes ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Reads a whole dataset of <paramref name="dtype"/> into <paramref name="data"/> through its element type.</summary>
    public static void ReadWhole(NativeDataset native, DType dtype, Span<byte> data)
    {
        switch (dtype)
        {
            case DType.Float32: native.Read(MemoryMarshal.Cast<byte, float>(data)); break;
            case DType.Float64: native.Read(MemoryMarshal.Cast<byte, double>(data)); break;
            case DType.Int64: native.Read(MemoryMarshal.Cast<byte, long>(data)); break;
            case DType.Int32: native.Read(MemoryMarshal.Cast<byte, int>(data)); break;
            case DType.Int16: native.Read(MemoryMarshal.Cast<byte, short>(data)); break;
            case DType.Int8: native.Read(MemoryMarshal.Cast<byte, sbyte>(data)); break;
            case DType.UInt64: native.Read(MemoryMarshal.Cast<byte, ulong>(data)); break;
            case DType.UInt32: native.Read(MemoryMarshal.Cast<byte, uint>(data)); break;
            case DType.UInt16: native.Read(MemoryMarshal.Cast<byte, ushort>(data)); break;
            default: native.Read(data); break;
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

    public static long? ReadLongAttribute(IH5Object item, string name) => item.AttributeExists(name) ? ReadLong(item.Attribute(name)) : null;

    public static long? ReadLong(IH5Attribute attribute)
    {
        return attribute.Type.Class switch
        {
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 8 => attribute.Read<long>(),
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 4 => attribute.Read<int>(),
            H5DataTypeClass.FloatingPoint => (long)attribute.Read<double>(),
            _ => null,
        };
    }

    /// <summary>
    /// An integer attribute's exact decimal text, signed or unsigned of any size (seeds drawn from 64
    /// random bits are stored by h5py as uint64 above 2^63); null when absent or not an integer.
    /// </summary>
    public static string? ReadIntegerAttributeText(IH5Object item, string name) => item.AttributeExists(name) ? ReadIntegerText(item.Attribute(name)) : null;

    public static string? ReadIntegerText(IH5Attribute attribute)
    {
        if (attribute.Type.Class != H5DataTypeClass.FixedPoint || attribute.Space.Dimensions.Length != 0)
            return null;
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return (attribute.Type.Size, attribute.Type.FixedPoint.IsSigned) switch
        {
            (8, false) => attribute.Read<ulong>().ToString(c),
            (8, true) => attribute.Read<long>().ToString(c),
            (4, false) => attribute.Read<uint>().ToString(c),
            (4, true) => attribute.Read<int>().ToString(c),
            (2, false) => attribute.Read<ushort>().ToString(c),
            (2, true) => attribute.Read<short>().ToString(c),
            (1, false) => attribute.Read<byte>().ToString(c),
            (1, true) => attribute.Read<sbyte>().ToString(c),
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
