namespace Robotics.Datasets.Trajectories;

/// <summary>
/// One source shared by several readers on different threads (a training sampler prefetching on a worker
/// while a validation sampler reads on the trainer's thread): reads are serialised, since HDF5 and Parquet
/// readers keep per-handle state. Disposing it disposes the inner source.
/// </summary>
public sealed class SynchronizedSource(ITrajectorySource inner) : ITrajectorySource
{
    private readonly object _gate = new();

    public string Origin => inner.Origin;

    public long RowCount => inner.RowCount;

    public IReadOnlyList<ColumnInfo> Columns => inner.Columns;

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        lock (_gate)
            inner.ReadRows(key, start, count, destination);
    }

    public MetadataValue? Metadata(string key)
    {
        lock (_gate)
            return inner.Metadata(key);
    }

    public IReadOnlyCollection<string> MetadataKeys => inner.MetadataKeys;

    public void Dispose() => inner.Dispose();
}
