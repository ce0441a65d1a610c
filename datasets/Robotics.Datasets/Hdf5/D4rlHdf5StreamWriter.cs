using PureHDF;
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
            var dataset = DeferredDatasets.Create(column.DType, source.RowCount, column.RowShape, column.Key);
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
                    DeferredDatasets.WriteRows(writer, datasets[column.Key], column.RowShape, start, count, rows, column.Key);
                    done += count;
                    progress?.Report(new ProgressUpdate("write", done, total, column.Key));
                }
            }
        });
    }
}
