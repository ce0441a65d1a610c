using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling.Internal;

/// <summary>
/// A least-recently-used cache of row blocks (corpus, key, block) with a byte budget: the sampler's
/// only copy of stored data, so its budget bounds the sampler's memory whatever the corpus size.
/// </summary>
internal sealed class RowBlockCache(long budgetBytes, int blockRows)
{
    private readonly Dictionary<(int Corpus, string Key, long Block), LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _order = new();

    public long Bytes { get; private set; }

    public long PeakBytes { get; private set; }

    public long Reads { get; private set; }

    /// <summary>The bytes of one row, loading its block from <paramref name="source"/> when missing.</summary>
    public ReadOnlySpan<byte> Row(int corpus, ITrajectorySource source, ColumnInfo column, long row)
    {
        long block = row / blockRows;
        var id = (corpus, column.Key, block);
        if (_index.TryGetValue(id, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
        }
        else
        {
            long start = block * blockRows;
            int count = (int)Math.Min(blockRows, source.RowCount - start);
            var data = new byte[(long)count * column.RowBytes];
            source.ReadRows(column.Key, start, count, data);
            Reads++;
            node = _order.AddFirst(new Entry(id, data));
            _index[id] = node;
            Bytes += data.Length;
            PeakBytes = Math.Max(PeakBytes, Bytes);
            Evict(keep: node);
        }

        int offset = (int)(row - block * blockRows) * column.RowBytes;
        return node.Value.Data.AsSpan(offset, column.RowBytes);
    }

    private void Evict(LinkedListNode<Entry> keep)
    {
        while (Bytes > budgetBytes && _order.Last is { } last && last != keep)
        {
            _order.RemoveLast();
            _index.Remove(last.Value.Id);
            Bytes -= last.Value.Data.Length;
        }
    }

    private sealed record Entry((int Corpus, string Key, long Block) Id, byte[] Data);
}
