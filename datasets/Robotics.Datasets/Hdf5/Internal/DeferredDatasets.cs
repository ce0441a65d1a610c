using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Hdf5.Internal;

/// <summary>
/// PureHDF deferred datasets: declared with their shape before the file is begun, filled afterwards a row range at a
/// time, so a streaming writer holds one block (or one episode) instead of the whole corpus. Contiguous and
/// uncompressed because PureHDF 2.2's chunk cache holds every chunk of a chunked dataset until the file closes (see
/// <see cref="D4rlHdf5StreamWriter"/>).
/// </summary>
internal static class DeferredDatasets
{
    public static H5Dataset Create(DType dtype, long rows, IReadOnlyList<int> rowShape, string key)
    {
        ulong[] dims = [(ulong)rows, .. rowShape.Select(d => (ulong)d)];
        uint[]? chunks = null;
        H5DatasetCreation creation = default;
        return dtype switch
        {
            DType.Float32 => new H5Dataset<float[]>(dims, chunks, creation),
            DType.Float64 => new H5Dataset<double[]>(dims, chunks, creation),
            DType.Int64 => new H5Dataset<long[]>(dims, chunks, creation),
            DType.Int32 => new H5Dataset<int[]>(dims, chunks, creation),
            DType.Int16 => new H5Dataset<short[]>(dims, chunks, creation),
            DType.Int8 => new H5Dataset<sbyte[]>(dims, chunks, creation),
            DType.UInt64 => new H5Dataset<ulong[]>(dims, chunks, creation),
            DType.UInt32 => new H5Dataset<uint[]>(dims, chunks, creation),
            DType.UInt16 => new H5Dataset<ushort[]>(dims, chunks, creation),
            DType.UInt8 => new H5Dataset<byte[]>(dims, chunks, creation),
            DType.Bool => new H5Dataset<NumpyBool[]>(dims, chunks, creation),
            _ => throw new ArgumentException($"'{key}' is {dtype.ToNumpy()}, which has no HDF5 numeric type."),
        };
    }

    /// <summary>Writes rows [start, start + count) of a dataset made by <see cref="Create"/>; <paramref name="rows"/> are C-order bytes.</summary>
    public static void WriteRows(H5NativeWriter writer, H5Dataset dataset, IReadOnlyList<int> rowShape, long start, int count, ReadOnlySpan<byte> rows, string key)
    {
        if (count == 0)
            return; // an empty hyperslab has nothing to write (and PureHDF rejects zero-sized blocks)
        int rank = 1 + rowShape.Count;
        ulong[] starts = [(ulong)start, .. Enumerable.Repeat(0UL, rank - 1)];
        ulong[] ones = Enumerable.Repeat(1UL, rank).ToArray();
        ulong[] blocks = [(ulong)count, .. rowShape.Select(d => (ulong)d)];
        var fileSelection = new HyperslabSelection(rank, starts, strides: blocks, counts: ones, blocks: blocks);
        switch (dataset)
        {
            case H5Dataset<float[]> d: writer.Write(d, MemoryMarshal.Cast<byte, float>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<double[]> d: writer.Write(d, MemoryMarshal.Cast<byte, double>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<long[]> d: writer.Write(d, MemoryMarshal.Cast<byte, long>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<int[]> d: writer.Write(d, MemoryMarshal.Cast<byte, int>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<short[]> d: writer.Write(d, MemoryMarshal.Cast<byte, short>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<sbyte[]> d: writer.Write(d, MemoryMarshal.Cast<byte, sbyte>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<ulong[]> d: writer.Write(d, MemoryMarshal.Cast<byte, ulong>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<uint[]> d: writer.Write(d, MemoryMarshal.Cast<byte, uint>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<ushort[]> d: writer.Write(d, MemoryMarshal.Cast<byte, ushort>(rows).ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<byte[]> d: writer.Write(d, rows.ToArray(), fileSelection: fileSelection); break;
            case H5Dataset<NumpyBool[]> d:
                var flags = new NumpyBool[rows.Length];
                for (int i = 0; i < rows.Length; i++)
                    flags[i] = rows[i] != 0 ? NumpyBool.TRUE : NumpyBool.FALSE;
                writer.Write(d, flags, fileSelection: fileSelection);
                break;
            default:
                throw new ArgumentException($"'{key}': no deferred HDF5 dataset type for {dataset.GetType().Name}.");
        }
    }
}
