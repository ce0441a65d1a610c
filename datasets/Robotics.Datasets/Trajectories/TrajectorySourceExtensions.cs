using System.Runtime.InteropServices;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>Conveniences over <see cref="ITrajectorySource"/> that every implementation gets.</summary>
public static class TrajectorySourceExtensions
{
    public static bool HasColumn(this ITrajectorySource source, string key) => source.Columns.Any(c => c.Key == key);

    public static ColumnInfo Column(this ITrajectorySource source, string key) =>
        source.Columns.FirstOrDefault(c => c.Key == key)
        ?? throw new KeyNotFoundException($"{source.Origin}: no column '{key}' (has: {string.Join(", ", source.Columns.Select(c => c.Key))}).");

    /// <summary>Reads a whole flag column (terminals, timeouts) in blocks; one byte per row, so bounded by N.</summary>
    public static bool[] ReadFlags(this ITrajectorySource source, string key, int blockRows = 1 << 16)
    {
        var info = source.Column(key);
        var flags = new bool[source.RowCount];
        var buffer = new byte[(long)blockRows * info.RowBytes];
        for (long start = 0; start < source.RowCount; start += blockRows)
        {
            int count = (int)Math.Min(blockRows, source.RowCount - start);
            var span = buffer.AsSpan(0, count * info.RowBytes);
            source.ReadRows(key, start, count, span);
            FlagReader.ToFlags(info.DType, span, key).CopyTo(flags, start);
        }

        return flags;
    }

    /// <summary>
    /// Episode ranges as <see cref="FlatDataset.Episodes"/> finds them (infos/episode_index when
    /// present, else terminals/timeouts), reading only those columns: 1 byte per row per flag and
    /// 8 bytes per row for the index.
    /// </summary>
    public static IReadOnlyList<EpisodeRange> Episodes(this ITrajectorySource source) =>
        EpisodeSplitter.Split(
            source.HasColumn(D4rlKeys.EpisodeIndex) ? source.ReadEpisodeIndex() : null,
            source.HasColumn(D4rlKeys.Terminals) ? source.ReadFlags(D4rlKeys.Terminals) : null,
            source.HasColumn(D4rlKeys.Timeouts) ? source.ReadFlags(D4rlKeys.Timeouts) : null);

    /// <summary>Reads infos/episode_index whole as int64, in blocks.</summary>
    public static long[] ReadEpisodeIndex(this ITrajectorySource source, int blockRows = 1 << 16)
    {
        var info = source.Column(D4rlKeys.EpisodeIndex);
        if (!EpisodeIndexReader.IsIndexColumn(info))
            throw new InvalidDataException($"{source.Origin}: '{D4rlKeys.EpisodeIndex}' is {info}; expected one integer per row.");
        var values = new long[source.RowCount];
        var buffer = new byte[(long)blockRows * info.RowBytes];
        for (long start = 0; start < source.RowCount; start += blockRows)
        {
            int count = (int)Math.Min(blockRows, source.RowCount - start);
            var span = buffer.AsSpan(0, count * info.RowBytes);
            source.ReadRows(D4rlKeys.EpisodeIndex, start, count, span);
            EpisodeIndexReader.ToLongs(info.DType, span, values.AsSpan(checked((int)start), count), D4rlKeys.EpisodeIndex);
        }

        return values;
    }

    /// <summary>Reads rows of a numeric column converted to float32.</summary>
    public static void ReadRowsAsFloats(this ITrajectorySource source, string key, long start, int count, Span<float> destination, byte[]? scratch = null)
    {
        var info = source.Column(key);
        int bytes = count * info.RowBytes;
        if (info.DType == DType.Float32)
        {
            source.ReadRows(key, start, count, MemoryMarshal.AsBytes(destination[..(count * info.RowElements)]));
            return;
        }

        var raw = scratch is { } s && s.Length >= bytes ? s.AsSpan(0, bytes) : new byte[bytes];
        source.ReadRows(key, start, count, raw);
        ElementConverter.ToFloats(info.DType, raw, destination, key);
    }

    /// <summary>
    /// The whole source in memory (for writers that need it whole); an in-memory source is returned as it is.
    /// Columns are read in blocks into their final arrays, metadata by key.
    /// </summary>
    public static FlatDataset ReadAll(this ITrajectorySource source, CancellationToken cancellationToken = default)
    {
        if (source is FlatDatasetSource memory)
            return memory.Dataset;
        var columns = new Dictionary<string, Core.Arrays.NdArray>(StringComparer.Ordinal);
        foreach (var column in source.Columns)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = new byte[checked(source.RowCount * column.RowBytes)];
            const int block = 1 << 16;
            for (long start = 0; start < source.RowCount; start += block)
            {
                int count = (int)Math.Min(block, source.RowCount - start);
                source.ReadRows(column.Key, start, count, data.AsSpan(checked((int)(start * column.RowBytes)), count * column.RowBytes));
            }

            columns[column.Key] = new Core.Arrays.NdArray(column.DType, [checked((int)source.RowCount), .. column.RowShape], data);
        }

        var metadata = source.MetadataKeys.Select(k => (Key: k, Value: source.Metadata(k)))
            .Where(m => m.Value is not null).Select(m => KeyValuePair.Create(m.Key, m.Value!));
        return new FlatDataset(columns, metadata);
    }
}
