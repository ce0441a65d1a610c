using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Hdf5;

/// <summary>
/// An open D4RL-layout HDF5 file read row range by row range (never whole unless asked): the
/// streaming <see cref="ITrajectorySource"/> behind statistics, validation and the sampler.
/// Datasets with a row axis become columns; scalars, strings and everything under metadata/ become
/// metadata. Rewards, terminals and timeouts stored as (N, 1) are exposed as (N,).
/// </summary>
public sealed class Hdf5TrajectoryFile : ITrajectorySource
{
    private readonly PureHDF.VOL.Native.NativeFile _file;
    private readonly Dictionary<string, (IH5Dataset Dataset, ulong[] Dims, ColumnInfo Info)> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IH5Dataset> _metadata = new(StringComparer.Ordinal);
    private readonly List<string> _skipped = [];

    // Small reads (the sampler's blocks) reuse decompressed chunks instead of inflating a whole chunk
    // for every few rows; the cache is per column and bounded, so memory stays bounded too.
    private readonly Dictionary<string, PureHDF.VOL.Native.H5DatasetAccess> _smallReadAccess = new(StringComparer.Ordinal);
    private const int SmallReadRows = 1 << 16;

    private Hdf5TrajectoryFile(string path, PureHDF.VOL.Native.NativeFile file)
    {
        Origin = path;
        _file = file;
    }

    public string Origin { get; }

    public long RowCount { get; private set; }

    public IReadOnlyList<ColumnInfo> Columns => _columns.Values.Select(c => c.Info).OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();

    public IReadOnlyCollection<string> MetadataKeys => _metadata.Keys;

    /// <summary>Datasets that are neither columns nor metadata (unsupported element types), with the reason.</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>Opens <paramref name="path"/>; a missing, truncated or non-HDF5 file gives a <see cref="DatasetFormatException"/>.</summary>
    public static Hdf5TrajectoryFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such file.", path);
        ZlibInflateFilter.EnsureRegistered();
        PureHDF.VOL.Native.NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, null, $"not a readable HDF5 file ({e.GetType().Name}: {e.Message})", e);
        }

        var result = new Hdf5TrajectoryFile(path, file);
        try
        {
            result.Index(file, "");
            result.CheckRows();
        }
        catch
        {
            result.Dispose();
            throw;
        }

        return result;
    }

    public bool HasMetadata(string key) => _metadata.ContainsKey(key);

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (!_columns.TryGetValue(key, out var column))
            throw new KeyNotFoundException($"{Origin}: no column '{key}'.");
        if (start < 0 || count < 0 || start + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{RowCount}.");
        if (count == 0)
            return;
        try
        {
            var access = count <= SmallReadRows ? SmallReadAccess(key) : default;
            Hdf5Types.ReadRows(column.Dataset, column.Info.DType, column.Dims, start, count, destination[..(count * column.Info.RowBytes)], access);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(Origin, key, $"cannot read rows [{start}, {start + count}) ({e.GetType().Name}: {e.Message}); the file may be truncated or corrupt", e);
        }
    }

    /// <summary>Rows per HDF5 chunk of a column, or 0 when it is not chunked.</summary>
    public long ChunkRows(string key)
    {
        var dataset = _columns[key].Dataset;
        try
        {
            return dataset.Layout.Class == H5DataLayoutClass.Chunked && dataset.Layout.Chunks.Length > 0 ? Convert.ToInt64(dataset.Layout.Chunks[0]) : 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return 0; // layout details are an optimisation only
        }
    }

    /// <summary>Bytes of decompressed chunks each column may keep for small reads.</summary>
    public long ChunkCacheBytesPerColumn { get; set; } = 4L << 20;

    private PureHDF.VOL.Native.H5DatasetAccess SmallReadAccess(string key)
    {
        if (!_smallReadAccess.TryGetValue(key, out var access))
        {
            access = new PureHDF.VOL.Native.H5DatasetAccess(ChunkCache: new PureHDF.VOL.Native.SimpleReadingChunkCache(8, (ulong)ChunkCacheBytesPerColumn));
            _smallReadAccess[key] = access;
        }

        return access;
    }

    /// <summary>A whole column as an array (N rows), read in one call.</summary>
    public NdArray ReadColumn(string key)
    {
        var info = this.Column(key);
        var data = new byte[checked(RowCount * info.RowBytes)];
        ReadRows(key, 0, (int)RowCount, data);
        return new NdArray(info.DType, [(int)RowCount, .. info.RowShape], data);
    }

    public MetadataValue? Metadata(string key) => HasMetadata(key) ? ReadMetadata(key) : null;

    /// <summary>A metadata value: text (scalar or list) or a numeric array.</summary>
    public MetadataValue ReadMetadata(string key)
    {
        if (!_metadata.TryGetValue(key, out var dataset))
            throw new KeyNotFoundException($"{Origin}: no metadata '{key}'.");
        try
        {
            var dtype = Hdf5Types.ToDType(dataset.Type)
                ?? throw new DatasetFormatException(Origin, key, $"unsupported element type {Hdf5Types.Describe(dataset.Type)}");
            ulong[] dims = dataset.Space.Dimensions;
            if (dtype == DType.String)
            {
                return dims.Length == 0
                    ? MetadataValue.FromText(dataset.Read<string>())
                    : MetadataValue.FromStrings(dataset.Read<string[]>());
            }

            long elements = dims.Aggregate(1L, (a, b) => a * (long)b);
            var data = new byte[elements * dtype.ByteSize()];
            Hdf5Types.ReadWhole((PureHDF.VOL.Native.NativeDataset)dataset, dtype, data);

            return MetadataValue.FromArray(new NdArray(dtype, dims.Select(d => (int)d).ToArray(), data));
        }
        catch (Exception e) when (e is not DatasetFormatException and not OutOfMemoryException)
        {
            throw new DatasetFormatException(Origin, key, $"cannot read metadata ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// Every column and metadata value, loaded into memory. Columns are cut into row ranges that
    /// workers decompress in parallel, each through its own handle on the file (PureHDF readers
    /// are not shared across threads here), so a full read uses every core.
    /// </summary>
    public FlatDataset ReadAll(CancellationToken cancellationToken = default, IProgress<Robotics.Core.Progress.ProgressUpdate>? progress = null, int? workers = null)
    {
        var infos = Columns;
        if (infos.Count == 0)
            throw new DatasetFormatException(Origin, null, "no datasets with a row axis (is this a D4RL file?)");
        var buffers = infos.ToDictionary(c => c.Key, c => new byte[checked(RowCount * c.RowBytes)], StringComparer.Ordinal);
        const long pieceBytes = 8L << 20;
        var pieces = new List<(ColumnInfo Column, long Start, int Count)>();
        foreach (var info in infos)
        {
            long rowsPerPiece = Math.Max(1, pieceBytes / Math.Max(1, info.RowBytes));
            // Whole chunks per piece, so no chunk is inflated twice by neighbouring pieces.
            long chunkRows = ChunkRows(info.Key);
            if (chunkRows > 0)
                rowsPerPiece = Math.Max(chunkRows, rowsPerPiece / chunkRows * chunkRows);
            for (long start = 0; start < RowCount; start += rowsPerPiece)
                pieces.Add((info, start, (int)Math.Min(rowsPerPiece, RowCount - start)));
        }

        long total = infos.Sum(c => (long)c.RowBytes) * RowCount;
        long done = 0;
        int degree = Math.Max(1, Math.Min(workers ?? Environment.ProcessorCount, pieces.Count));
        if (degree == 1)
        {
            foreach (var (column, start, count) in pieces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadRows(column.Key, start, count, buffers[column.Key].AsSpan(checked((int)(start * column.RowBytes)), count * column.RowBytes));
                done += (long)count * column.RowBytes;
                progress?.Report(new Robotics.Core.Progress.ProgressUpdate("read", done, total, column.Key));
            }
        }
        else
        {
            int next = -1;
            var threads = Enumerable.Range(0, degree).Select(_ => Task.Run(() =>
            {
                using var own = Open(Origin);
                int piece;
                while ((piece = Interlocked.Increment(ref next)) < pieces.Count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var (column, start, count) = pieces[piece];
                    own.ReadRows(column.Key, start, count, buffers[column.Key].AsSpan(checked((int)(start * column.RowBytes)), count * column.RowBytes));
                    long now = Interlocked.Add(ref done, (long)count * column.RowBytes);
                    progress?.Report(new Robotics.Core.Progress.ProgressUpdate("read", now, total, column.Key));
                }
            }, cancellationToken)).ToArray();
            try
            {
                Task.WaitAll(threads, cancellationToken);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }

        var columns = infos.ToDictionary(c => c.Key, c => new NdArray(c.DType, [(int)RowCount, .. c.RowShape], buffers[c.Key]), StringComparer.Ordinal);
        var metadata = _metadata.Keys.ToDictionary(k => k, ReadMetadata, StringComparer.Ordinal);
        return new FlatDataset(columns, metadata);
    }

    public void Dispose() => _file.Dispose();

    private void Index(IH5Group group, string prefix)
    {
        IEnumerable<IH5Object> children;
        try
        {
            children = group.Children().ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(Origin, prefix.Length == 0 ? "/" : prefix.TrimEnd('/'), $"cannot list the group ({e.GetType().Name}: {e.Message}); the file may be truncated or corrupt", e);
        }

        foreach (var child in children)
        {
            string key = prefix + child.Name;
            switch (child)
            {
                case IH5Group sub:
                    Index(sub, key + "/");
                    break;
                case IH5Dataset dataset:
                    AddDataset(key, dataset);
                    break;
            }
        }
    }

    private void AddDataset(string key, IH5Dataset dataset)
    {
        ulong[] dims;
        DType? dtype;
        try
        {
            dims = dataset.Space.Dimensions;
            dtype = Hdf5Types.ToDType(dataset.Type);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(Origin, key, $"cannot read the dataset header ({e.GetType().Name}: {e.Message})", e);
        }

        if (dtype is null)
        {
            _skipped.Add($"{key}: unsupported element type {Hdf5Types.Describe(dataset.Type)}");
            return;
        }

        if (key.StartsWith(D4rlKeys.MetadataPrefix, StringComparison.Ordinal) || dims.Length == 0 || dtype == DType.String)
        {
            _metadata[key] = dataset;
            return;
        }

        // The selection keeps the stored rank; only the exposed row shape is squeezed.
        var rowShape = D4rlKeys.Squeezed.Contains(key) && dims.Length == 2 && dims[1] == 1 ? [] : dims[1..];
        var info = new ColumnInfo(key, dtype.Value, rowShape.Select(d => checked((int)d)).ToArray());
        _columns[key] = (dataset, dims, info);
    }

    private void CheckRows()
    {
        if (_columns.Count == 0)
            return;
        var reference = _columns.ContainsKey(D4rlKeys.Observations) ? D4rlKeys.Observations : _columns.Keys.Order(StringComparer.Ordinal).First();
        RowCount = (long)_columns[reference].Dims[0];
    }

    /// <summary>Row counts per column, for validation (columns may disagree in a bad file).</summary>
    public IReadOnlyDictionary<string, long> ColumnRowCounts => _columns.ToDictionary(c => c.Key, c => (long)c.Value.Dims[0]);
}
