using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Statistics;

/// <summary>Computes <see cref="FeatureStatistics"/> for numeric columns in one streaming pass over a source.</summary>
public static class DatasetStatistics
{
    public static IReadOnlyDictionary<string, FeatureStatistics> Compute(ITrajectorySource source, IEnumerable<string>? keys = null,
        int blockRows = 16_384, int reservoirRows = 100_000, ulong seed = 0,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        ComputeMany([source], keys, blockRows, reservoirRows, seed, progress, cancellationToken);

    /// <summary>
    /// Statistics over the concatenation of several corpora (what a policy trained on their mixture
    /// normalises with); every source must have the keys, with equal row shapes.
    /// </summary>
    public static IReadOnlyDictionary<string, FeatureStatistics> ComputeMany(IReadOnlyList<ITrajectorySource> sources, IEnumerable<string>? keys = null,
        int blockRows = 16_384, int reservoirRows = 100_000, ulong seed = 0,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        if (sources.Count == 0)
            throw new ArgumentException("At least one source is needed.", nameof(sources));
        var columns = (keys is null
            ? sources[0].Columns.Where(c => c.DType != DType.String)
            : keys.Select(sources[0].Column)).ToArray();
        foreach (var other in sources.Skip(1))
        {
            foreach (var column in columns)
            {
                var theirs = other.Column(column.Key);
                if (!theirs.RowShape.SequenceEqual(column.RowShape))
                    throw new InvalidDataException($"{other.Origin}: '{column.Key}' rows are [{string.Join(", ", theirs.RowShape)}] but {sources[0].Origin} has [{string.Join(", ", column.RowShape)}].");
            }
        }

        var accumulators = columns.ToDictionary(c => c.Key, c => new StatisticsAccumulator(c.Key, c.RowShape, reservoirRows, seed), StringComparer.Ordinal);
        long totalRows = sources.Sum(s => s.RowCount);
        long doneRows = 0;
        foreach (var source in sources)
        {
            Accumulate(source, columns, accumulators, blockRows, totalRows, ref doneRows, progress, cancellationToken);
        }

        return accumulators.ToDictionary(a => a.Key, a => a.Value.Result(), StringComparer.Ordinal);
    }

    private static void Accumulate(ITrajectorySource source, ColumnInfo[] columns, Dictionary<string, StatisticsAccumulator> accumulators,
        int blockRows, long totalRows, ref long doneRows, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        int widest = columns.Length == 0 ? 1 : columns.Max(c => c.RowElements);
        blockRows = BlockRows.Cap(blockRows, Math.Max(widest * sizeof(float), columns.Select(c => c.RowBytes).DefaultIfEmpty(1).Max()));
        var floats = new float[(long)blockRows * widest];
        var scratch = new byte[(long)blockRows * columns.Select(c => c.RowBytes).DefaultIfEmpty(1).Max()];
        for (long start = 0; start < source.RowCount; start += blockRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(blockRows, source.RowCount - start);
            foreach (var column in columns)
            {
                var span = floats.AsSpan(0, count * column.RowElements);
                source.ReadRowsAsFloats(column.Key, start, count, span, scratch);
                accumulators[column.Key].Add(span);
            }

            doneRows += count;
            progress?.Report(new ProgressUpdate("statistics", doneRows, totalRows));
        }
    }
}
