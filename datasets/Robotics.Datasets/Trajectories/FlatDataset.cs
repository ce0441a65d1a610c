using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>
/// A trajectory corpus held in memory in the D4RL flat layout: every column has N rows on its first
/// axis (observations, actions, rewards, terminals, timeouts, infos/*, optional next_observations),
/// and metadata/* values have no row axis. Element types are kept exactly as stored.
/// </summary>
public sealed class FlatDataset
{
    private readonly Dictionary<string, NdArray> _columns;
    private readonly Dictionary<string, MetadataValue> _metadata;

    public FlatDataset(IEnumerable<KeyValuePair<string, NdArray>> columns, IEnumerable<KeyValuePair<string, MetadataValue>>? metadata = null)
    {
        _columns = new Dictionary<string, NdArray>(columns, StringComparer.Ordinal);
        _metadata = metadata is null ? new(StringComparer.Ordinal) : new Dictionary<string, MetadataValue>(metadata, StringComparer.Ordinal);
        if (_columns.Count == 0)
            throw new ArgumentException("A dataset needs at least one column.", nameof(columns));

        long? rows = null;
        string? first = null;
        foreach (var (key, array) in _columns)
        {
            if (key.StartsWith(D4rlKeys.MetadataPrefix, StringComparison.Ordinal))
                throw new ArgumentException($"'{key}' is metadata; pass it in the metadata dictionary, not as a column.", nameof(columns));
            if (array.Shape.Length == 0)
                throw new ArgumentException($"Column '{key}' is a scalar; columns need a row axis.", nameof(columns));
            if (rows is null)
            {
                rows = array.Shape[0];
                first = key;
            }
            else if (array.Shape[0] != rows)
            {
                throw new ArgumentException($"Column '{key}' has {array.Shape[0]} rows but '{first}' has {rows}.", nameof(columns));
            }
        }

        RowCount = rows!.Value;
    }

    public long RowCount { get; }

    public IReadOnlyDictionary<string, NdArray> Columns => _columns;

    public IReadOnlyDictionary<string, MetadataValue> Metadata => _metadata;

    public bool HasColumn(string key) => _columns.ContainsKey(key);

    public NdArray Column(string key) => _columns.TryGetValue(key, out var array)
        ? array
        : throw new KeyNotFoundException($"The dataset has no column '{key}' (has: {string.Join(", ", _columns.Keys.Order(StringComparer.Ordinal))}).");

    public ColumnInfo Info(string key)
    {
        var array = Column(key);
        return new ColumnInfo(key, array.DType, array.Shape[1..]);
    }

    public IReadOnlyList<ColumnInfo> ColumnInfos => _columns.Keys.Order(StringComparer.Ordinal).Select(Info).ToArray();

    /// <summary>A float32 column's values; throws naming the key when it holds another dtype.</summary>
    public ReadOnlySpan<float> Floats(string key)
    {
        var array = Column(key);
        if (array.DType != DType.Float32)
            throw new InvalidDataException($"Column '{key}' is {array.DType.ToNumpy()}, expected float32.");
        return MemoryMarshal.Cast<byte, float>(array.Data);
    }

    /// <summary>A column read as truth values (bool, any integer or float: non-zero is true), as D4RL's bool(x) does.</summary>
    public bool[] Flags(string key) => FlagReader.ToFlags(Column(key), key);

    /// <summary>A copy with <paramref name="key"/> added or replaced.</summary>
    public FlatDataset WithColumn(string key, NdArray array)
    {
        var columns = new Dictionary<string, NdArray>(_columns) { [key] = array };
        return new FlatDataset(columns, _metadata);
    }

    /// <summary>A copy with metadata <paramref name="key"/> (under "metadata/") added or replaced.</summary>
    public FlatDataset WithMetadata(string key, MetadataValue value)
    {
        var metadata = new Dictionary<string, MetadataValue>(_metadata) { [key] = value };
        return new FlatDataset(_columns, metadata);
    }

    /// <summary>Rows [start, start + count) of every column, metadata carried over.</summary>
    public FlatDataset Slice(long start, long count) => Select(Enumerable.Range(0, checked((int)count)).Select(i => start + i).ToArray());

    /// <summary>The given rows of every column, in the given order.</summary>
    public FlatDataset Select(IReadOnlyList<long> rows)
    {
        var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var (key, array) in _columns)
        {
            int rowBytes = checked((int)(array.Data.Length / Math.Max(1, RowCount)));
            var data = new byte[(long)rowBytes * rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                if (rows[i] < 0 || rows[i] >= RowCount)
                    throw new ArgumentOutOfRangeException(nameof(rows), $"Row {rows[i]} is outside 0..{RowCount - 1}.");
                Buffer.BlockCopy(array.Data, checked((int)(rows[i] * rowBytes)), data, i * rowBytes, rowBytes);
            }

            int[] shape = [.. array.Shape];
            shape[0] = rows.Count;
            columns[key] = new NdArray(array.DType, shape, data);
        }

        return new FlatDataset(columns, _metadata);
    }

    /// <summary>
    /// The episodes: runs of equal infos/episode_index when the column exists (terminals inside an
    /// episode, such as robomimic's success dones, do not split it), else split where terminals or
    /// timeouts are set (the final row included). See <see cref="EpisodeSplitter"/>.
    /// </summary>
    public IReadOnlyList<EpisodeRange> Episodes() => EpisodeSplitter.Split(
        EpisodeIndex(),
        HasColumn(D4rlKeys.Terminals) ? Flags(D4rlKeys.Terminals) : null,
        HasColumn(D4rlKeys.Timeouts) ? Flags(D4rlKeys.Timeouts) : null);

    /// <summary>infos/episode_index as int64 (any integer dtype), or null when the dataset has no such column.</summary>
    public long[]? EpisodeIndex()
    {
        if (!_columns.TryGetValue(D4rlKeys.EpisodeIndex, out var array))
            return null;
        var info = Info(D4rlKeys.EpisodeIndex);
        if (!EpisodeIndexReader.IsIndexColumn(info))
            throw new InvalidDataException($"'{D4rlKeys.EpisodeIndex}' is {info}; expected one integer per row.");
        var values = new long[RowCount];
        EpisodeIndexReader.ToLongs(array.DType, array.Data, values, D4rlKeys.EpisodeIndex);
        return values;
    }

    public override string ToString() => $"FlatDataset({RowCount} rows; {string.Join("; ", ColumnInfos)})";
}
