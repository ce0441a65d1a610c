using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Hdf5;

/// <summary>
/// Writes a <see cref="FlatDataset"/> as a D4RL HDF5 file: one gzip-compressed, chunked dataset per
/// column at its slash path (infos/qpos is dataset qpos in group infos), metadata under metadata/.
/// The file appears under its final name only when complete (temp file + rename). A dataset without
/// one of d4rl's required keys is refused before anything is written: d4rl's get_dataset would reject
/// the file, so writing it would only move the failure to the reader.
/// </summary>
public static class D4rlHdf5Writer
{
    public static void Write(string path, FlatDataset dataset, Hdf5WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= Hdf5WriteOptions.Default;
        options.Validate();
        foreach (string key in D4rlKeys.Required)
        {
            if (!dataset.HasColumn(key))
                throw new DatasetFormatException(path, key, $"required key is missing: a D4RL file needs {string.Join(", ", D4rlKeys.Required)} (the dataset has {string.Join(", ", dataset.Columns.Keys.Order(StringComparer.Ordinal))})");
        }

        var file = new H5File();
        var creation = new H5DatasetCreation(Filters: [new H5Filter(DeflateFilter.Id, new() { [DeflateFilter.COMPRESSION_LEVEL] = options.CompressionLevel })]);
        foreach (var (key, array) in dataset.Columns.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Place(file, key, ColumnDataset(array, options, creation));
        }

        foreach (var (key, value) in dataset.Metadata.OrderBy(c => c.Key, StringComparer.Ordinal))
            Place(file, key, MetadataDataset(value));

        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(path, temp => file.Write(temp));
    }

    private static H5Dataset ColumnDataset(NdArray array, Hdf5WriteOptions options, H5DatasetCreation creation)
    {
        ulong[] dims = array.Shape.Select(d => (ulong)d).ToArray();
        if (array.Shape[0] == 0)
            return new H5Dataset(Hdf5Types.ToTypedArray(array), fileDims: dims);
        long rowBytes = Math.Max(1, array.Data.Length / array.Shape[0]);
        uint rows = (uint)Math.Clamp(options.ChunkBytes / rowBytes, 1, array.Shape[0]);
        uint[] chunks = [rows, .. array.Shape[1..].Select(d => (uint)Math.Max(1, d))];
        return new H5Dataset(Hdf5Types.ToTypedArray(array), chunks: chunks, fileDims: dims, datasetCreation: creation);
    }

    internal static object MetadataDataset(MetadataValue value)
    {
        if (value.IsText)
            return value.IsScalar ? new H5Dataset(value.Text) : new H5Dataset(value.Strings!.ToArray());
        var array = value.Array!;
        return array.Shape.Length == 0
            ? new H5Dataset(Hdf5Types.ToTypedArray(new NdArray(array.DType, [1], array.Data)), fileDims: [])
            : new H5Dataset(Hdf5Types.ToTypedArray(array), fileDims: array.Shape.Select(d => (ulong)d).ToArray());
    }

    /// <summary>Puts <paramref name="item"/> at slash path <paramref name="key"/>, creating groups on the way.</summary>
    internal static void Place(H5Group root, string key, object item)
    {
        string[] parts = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var group = root;
        foreach (string part in parts[..^1])
        {
            if (!group.TryGetValue(part, out var child))
            {
                child = new H5Group();
                group[part] = child;
            }

            group = child as H5Group ?? throw new ArgumentException($"'{key}' needs '{part}' to be a group, but a dataset has that name.");
        }

        group[parts[^1]] = item;
    }
}
