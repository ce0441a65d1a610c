using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Robotics.Core.IO;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Hdf5;

/// <summary>
/// Writes an <see cref="ITrajectorySource"/> as a D4RL HDF5 file block by block (PureHDF's deferred writes), so a
/// corpus larger than memory converts: the keys, dtypes, shapes and metadata of <see cref="D4rlHdf5Writer"/> (temp
/// file + rename), the memory one block of rows. Columns are stored contiguous and uncompressed: PureHDF 2.2 keeps
/// every chunk of a chunked dataset in its writing cache until the file closes (a bounded cache cannot be plugged in:
/// its eviction callback writes the evicted chunk at the index of the chunk being requested), so a compressed column
/// would be held whole. h5py and d4rl read both layouts alike; recompress with h5repack if disk matters.
/// </summary>
public static class D4rlHdf5StreamWriter
{
    public static void Write(string path, ITrajectorySource source, int blockRows = 16_384,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        foreach (string key in D4rlKeys.Required)
        {
            if (!source.HasColumn(key))
                throw new DatasetFormatException(path, key, $"required key is missing: a D4RL file needs {string.Join(", ", D4rlKeys.Required)} (the source has {string.Join(", ", source.Columns.Select(c => c.Key).Order(StringComparer.Ordinal))})");
        }

        var columns = source.Columns.Where(c => c.DType != DType.String).OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
        var file = new H5File();
        var datasets = new Dictionary<string, H5Dataset>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var dataset = Deferred(column, source.RowCount);
            datasets[column.Key] = dataset;
            D4rlHdf5Writer.Place(file, column.Key, dataset);
        }

        foreach (string key in source.MetadataKeys.Order(StringComparer.Ordinal))
        {
            if (source.Metadata(key) is { } value)
                D4rlHdf5Writer.Place(file, key, D4rlHdf5Writer.MetadataDataset(value));
        }

        AtomicFile.Write(path, temp =>
        {
            using var writer = file.BeginWrite(temp);
            long total = source.RowCount * columns.Length;
            long done = 0;
            foreach (var column in columns)
            {
                var buffer = new byte[(long)Math.Min(blockRows, Math.Max(1, source.RowCount)) * column.RowBytes];
                for (long start = 0; start < source.RowCount; start += blockRows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int count = (int)Math.Min(blockRows, source.RowCount - start);
                    var rows = buffer.AsSpan(0, count * column.RowBytes);
                    source.ReadRows(column.Key, start, count, rows);
                    WriteRows(writer, datasets[column.Key], column, start, count, rows);
                    done += count;
                    progress?.Report(new ProgressUpdate("write", done, total, column.Key));
                }
            }
        });
    }

    private static H5Dataset Deferred(ColumnInfo column, long rows)
    {
        ulong[] dims = [(ulong)rows, .. column.RowShape.Select(d => (ulong)d)];
        uint[]? chunks = null; // contiguous: written straight to the file (see the class summary)
        H5DatasetCreation creation = default;
        return column.DType switch
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
            _ => throw new ArgumentException($"'{column.Key}' is {column.DType.ToNumpy()}, which has no HDF5 numeric type."),
        };
    }

    private static void WriteRows(H5NativeWriter writer, H5Dataset dataset, ColumnInfo column, long start, int count, ReadOnlySpan<byte> rows)
    {
        int rank = 1 + column.RowShape.Count;
        ulong[] starts = [(ulong)start, .. Enumerable.Repeat(0UL, rank - 1)];
        ulong[] ones = Enumerable.Repeat(1UL, rank).ToArray();
        ulong[] blocks = [(ulong)count, .. column.RowShape.Select(d => (ulong)d)];
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
                throw new ArgumentException($"'{column.Key}': no deferred HDF5 dataset type for {column.DType.ToNumpy()}.");
        }
    }
}
