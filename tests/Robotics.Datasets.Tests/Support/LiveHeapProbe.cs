using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Support;

/// <summary>
/// A source that is not in memory as far as writers can tell (no <see cref="FlatDatasetSource"/> shortcut), and that
/// measures the live managed heap (after a full collection) each time one of <paramref name="probeKeys"/> is read for
/// more than one row: a streaming writer reads them once an episode, so the largest growth over the baseline is what
/// the writer retained (a leak of earlier episodes shows up as growth with the corpus; one episode's rows do not).
/// The heap is the process's: tests using it run in <see cref="StreamingMemoryCollection"/>, alone.
/// </summary>
public sealed class LiveHeapProbe(ITrajectorySource inner, params string[] probeKeys) : ITrajectorySource
{
    private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);

    public long MaxGrowthBytes { get; private set; }

    public int Samples { get; private set; }

    public string Origin => inner.Origin;

    public long RowCount => inner.RowCount;

    public IReadOnlyList<ColumnInfo> Columns => inner.Columns;

    public IReadOnlyCollection<string> MetadataKeys => inner.MetadataKeys;

    public MetadataValue? Metadata(string key) => inner.Metadata(key);

    public void ReadRows(string key, long start, int count, Span<byte> destination)
    {
        if (count > 1 && probeKeys.Contains(key))
            Sample();
        inner.ReadRows(key, start, count, destination);
    }

    /// <summary>Samples once more (after the write, for what it kept).</summary>
    public void Sample()
    {
        MaxGrowthBytes = Math.Max(MaxGrowthBytes, GC.GetTotalMemory(forceFullCollection: true) - _baseline);
        Samples++;
    }

    public void Dispose() => inner.Dispose();
}

