namespace Robotics.Datasets.Trajectories;

/// <summary>An <see cref="ITrajectorySource"/> over a dataset already in memory.</summary>
public sealed class FlatDatasetSource(FlatDataset dataset, string origin = "memory") : ITrajectorySource
{
    public FlatDataset Dataset { get; } = dataset;

    public string Origin { get; } = origin;

    public long RowCount => Dataset.RowCount;

    public IReadOnlyList<ColumnInfo> Columns { get; } = dataset.ColumnInfos;

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (start < 0 || count < 0 || start + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{RowCount}.");
        var array = Dataset.Column(key);
        int rowBytes = Dataset.Info(key).RowBytes;
        array.Data.AsSpan(checked((int)(start * rowBytes)), count * rowBytes).CopyTo(destination);
    }

    public MetadataValue? Metadata(string key) => Dataset.Metadata.GetValueOrDefault(key);

    public IReadOnlyCollection<string> MetadataKeys => Dataset.Metadata.Keys.ToArray();

    public void Dispose()
    {
    }
}
