using Robotics.Core.Randomness;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Benchmarks;

/// <summary>
/// <see cref="SyntheticD4rl"/> of any size without holding it: rows are made on demand in blocks of
/// <see cref="BlockRows"/>, block b from its own seed (so any row range is a pure function of the seed), each block
/// ending an episode (a timeout unless it ended on a terminal). For scale tests of converting and training on
/// corpora larger than memory; memory is one block (about 0.7 MB).
/// </summary>
public sealed class SyntheticD4rlSource(long rows, ulong seed = 0) : ITrajectorySource
{
    public const int BlockRows = 4000;

    private readonly ColumnInfo[] _columns = new FlatDatasetSource(SyntheticD4rl.Create(1)).Columns.ToArray();
    private (long Block, FlatDataset Rows)? _last;

    public string Origin => $"synthetic({rows} rows, seed {seed})";

    public long RowCount => rows;

    public IReadOnlyList<ColumnInfo> Columns => _columns;

    public IReadOnlyCollection<string> MetadataKeys => ["metadata/algorithm"];

    public MetadataValue? Metadata(string key) => key == "metadata/algorithm" ? MetadataValue.FromText("synthetic benchmark corpus (streamed)") : null;

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (start < 0 || count < 0 || start + count > rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Origin}: rows [{start}, {start + count}) of '{key}' are outside 0..{rows}.");
        var info = _columns.FirstOrDefault(c => c.Key == key) ?? throw new KeyNotFoundException($"{Origin}: no column '{key}'.");
        int written = 0;
        while (written < count)
        {
            long row = start + written;
            long block = row / BlockRows;
            var data = Block(block);
            int offset = (int)(row - block * BlockRows);
            int take = Math.Min(count - written, (int)data.RowCount - offset);
            data.Column(key).Data.AsSpan(offset * info.RowBytes, take * info.RowBytes).CopyTo(destination[(written * info.RowBytes)..]);
            written += take;
        }
    }

    private FlatDataset Block(long block)
    {
        if (_last is { } last && last.Block == block)
            return last.Rows;
        int length = (int)Math.Min(BlockRows, rows - block * BlockRows);
        var data = SyntheticD4rl.Create(length, SplitMix64.Mix(seed, (ulong)block));
        var terminals = data.Column(D4rlKeys.Terminals).Data;
        var timeouts = data.Column(D4rlKeys.Timeouts).Data;
        if (terminals[^1] == 0)
            timeouts[^1] = 1;
        _last = (block, data);
        return data;
    }

    public void Dispose()
    {
    }
}
