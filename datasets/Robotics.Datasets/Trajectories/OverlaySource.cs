namespace Robotics.Datasets.Trajectories;

/// <summary>
/// A source with some columns added or replaced and some metadata added, the rest read through from the inner
/// source: how convert's transforms (time-limit ends, filled rewards, frame rate) apply to a corpus without loading
/// it. An overlay column is a reader of row ranges, so a constant column costs nothing per row. Disposing it
/// disposes the inner source.
/// </summary>
public sealed class OverlaySource : ITrajectorySource
{
    public delegate void RowReader(long start, int count, Span<byte> destination);

    private readonly ITrajectorySource _inner;
    private readonly Dictionary<string, (ColumnInfo Info, RowReader Read)> _columns;
    private readonly Dictionary<string, MetadataValue> _metadata;

    public OverlaySource(ITrajectorySource inner, IEnumerable<(ColumnInfo Info, RowReader Read)>? columns = null, IEnumerable<KeyValuePair<string, MetadataValue>>? metadata = null)
    {
        _inner = inner;
        _columns = (columns ?? []).ToDictionary(c => c.Info.Key, StringComparer.Ordinal);
        _metadata = new Dictionary<string, MetadataValue>(metadata ?? [], StringComparer.Ordinal);
        Columns = inner.Columns.Where(c => !_columns.ContainsKey(c.Key)).Concat(_columns.Values.Select(c => c.Info))
            .OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A column held whole in memory (flags and indices: a few bytes per row).</summary>
    public static (ColumnInfo Info, RowReader Read) ArrayColumn(string key, Core.Arrays.NdArray array)
    {
        var info = new ColumnInfo(key, array.DType, array.Shape[1..]);
        return (info, (start, count, destination) => array.Data.AsSpan(checked((int)(start * info.RowBytes)), count * info.RowBytes).CopyTo(destination));
    }

    /// <summary>Every row the same bytes (a filled constant).</summary>
    public static (ColumnInfo Info, RowReader Read) ConstantColumn(ColumnInfo info, byte[] row) =>
        (info, (start, count, destination) =>
        {
            for (int r = 0; r < count; r++)
                row.CopyTo(destination[(r * row.Length)..]);
        });

    public string Origin => _inner.Origin;

    public long RowCount => _inner.RowCount;

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public IReadOnlyCollection<string> MetadataKeys => _inner.MetadataKeys.Concat(_metadata.Keys).Distinct(StringComparer.Ordinal).ToArray();

    public MetadataValue? Metadata(string key) => _metadata.TryGetValue(key, out var value) ? value : _inner.Metadata(key);

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (start < 0 || count < 0 || start + count > RowCount)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{RowCount}.");
        if (_columns.TryGetValue(key, out var column))
            column.Read(start, count, destination);
        else
            _inner.ReadRows(key, start, count, destination);
    }

    public void Dispose() => _inner.Dispose();
}
