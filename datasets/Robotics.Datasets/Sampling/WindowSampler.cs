using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Core.Randomness;
using Robotics.Datasets.Sampling.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// Draws training windows (observation history + action chunk) uniformly over the steps of each
/// corpus, corpora chosen by weight. Batch k is a pure function of (seed, k), so results do not
/// depend on prefetching, threads or cache state. Windows never cross an episode boundary, found as
/// <see cref="TrajectorySourceExtensions.Episodes"/> finds it: infos/episode_index when the corpus
/// has it (so robomimic's mid-demo success dones do not cut a demo), else terminals/timeouts. Only
/// those columns (1 byte per row per flag, 8 for the index) are read up front; everything else is
/// read by blocks through a bounded cache, so a corpus far larger than memory can be sampled.
/// </summary>
public sealed class WindowSampler : IDisposable
{
    private readonly CorpusSpec[] _corpora;
    private readonly CorpusIndex[] _indices;
    private readonly double[] _cumulativeWeights;
    private readonly RowBlockCache _cache;
    private readonly ColumnInfo[] _observationColumns;
    private readonly ColumnInfo _actionColumn;
    private readonly object _gate = new();

    public WindowSampler(IReadOnlyList<CorpusSpec> corpora, WindowSamplerOptions? options = null)
    {
        Options = options ?? new WindowSamplerOptions();
        Options.Validate();
        if (corpora.Count == 0)
            throw new ArgumentException("At least one corpus is needed.", nameof(corpora));
        _corpora = corpora.ToArray();
        foreach (var corpus in _corpora)
        {
            if (!(corpus.Weight > 0) || double.IsInfinity(corpus.Weight))
                throw new ArgumentException($"Corpus '{corpus.Name}' has weight {corpus.Weight}; weights must be positive and finite.", nameof(corpora));
            if (corpus.Source.RowCount == 0)
                throw new ArgumentException($"Corpus '{corpus.Name}' ({corpus.Source.Origin}) has no rows.", nameof(corpora));
        }

        _observationColumns = Options.ObservationKeys.Select(k => _corpora[0].Source.Column(k)).ToArray();
        _actionColumn = _corpora[0].Source.Column(Options.ActionKey);
        foreach (var corpus in _corpora.Skip(1))
        {
            foreach (var expected in _observationColumns.Append(_actionColumn))
            {
                var actual = corpus.Source.Column(expected.Key);
                if (actual.DType != expected.DType || !actual.RowShape.SequenceEqual(expected.RowShape))
                    throw new ArgumentException($"Corpus '{corpus.Name}': '{expected.Key}' is {actual} but '{_corpora[0].Name}' has {expected}; mixed corpora must agree.", nameof(corpora));
            }
        }

        _indices = _corpora.Select(c => new CorpusIndex(c.Source.Episodes(), c.Source.HasColumn(Options.TaskIndexKey) ? c.Source.Column(Options.TaskIndexKey) : null)).ToArray();
        double total = _corpora.Sum(c => c.Weight);
        double running = 0;
        _cumulativeWeights = _corpora.Select(c => running += c.Weight / total).ToArray();
        _cache = new RowBlockCache(Options.CacheBytes, Options.BlockRows);
    }

    public WindowSamplerOptions Options { get; }

    public IReadOnlyList<CorpusSpec> Corpora => _corpora;

    /// <summary>Episodes found in corpus <paramref name="corpus"/> (by infos/episode_index, else at terminals/timeouts).</summary>
    public IReadOnlyList<EpisodeRange> Episodes(int corpus) => _indices[corpus].Episodes;

    /// <summary>The most bytes the row cache has held (the sampler's storage footprint).</summary>
    public long PeakCacheBytes => _cache.PeakBytes;

    public long BlockReads => _cache.Reads;

    /// <summary>Batch number <paramref name="batchIndex"/> of the stream for this seed.</summary>
    public SampleBatch Sample(long batchIndex)
    {
        var random = new SplitMix64(SplitMix64.Mix(Options.Seed, (ulong)batchIndex));
        int b = Options.BatchSize;
        int history = Options.ObservationHistory;
        int horizon = Options.ActionHorizon;
        var observationData = _observationColumns.Select(c => new byte[(long)b * history * c.RowBytes]).ToArray();
        var actionFloats = new float[(long)b * horizon * _actionColumn.RowElements];
        var observationMask = new bool[b * history];
        var actionMask = new bool[b * horizon];
        var tasks = new long[b];
        var corpora = new int[b];
        var episodes = new int[b];
        var steps = new int[b];

        lock (_gate)
        {
            for (int i = 0; i < b; i++)
            {
                int corpus = PickCorpus(random.NextDouble());
                var index = _indices[corpus];
                var source = _corpora[corpus].Source;
                long row = Options.ResidentBlocks is null ? random.NextLong(source.RowCount) : ResidentRow(corpus, batchIndex, random);
                var episode = index.EpisodeOf(row);
                int t = (int)(row - episode.Start);
                corpora[i] = corpus;
                episodes[i] = episode.Index;
                steps[i] = t;
                tasks[i] = index.TaskColumn is { } taskColumn
                    ? ReadTask(corpus, source, taskColumn, row)
                    : _corpora[corpus].DefaultTaskIndex;

                for (int k = 0; k < history; k++)
                {
                    int frame = t - (history - 1) + k;
                    observationMask[i * history + k] = frame >= 0 && frame < episode.Length;
                    long at = episode.Start + Math.Clamp(frame, 0, episode.Length - 1);
                    for (int c = 0; c < _observationColumns.Length; c++)
                    {
                        var column = _observationColumns[c];
                        _cache.Row(corpus, source, column, at).CopyTo(observationData[c].AsSpan((i * history + k) * column.RowBytes));
                    }
                }

                int first = Options.ActionsFromFirstObservation ? t - (history - 1) : t;
                int width = _actionColumn.RowElements;
                for (int k = 0; k < horizon; k++)
                {
                    int frame = first + k;
                    actionMask[i * horizon + k] = frame >= 0 && frame < episode.Length;
                    long at = episode.Start + Math.Clamp(frame, 0, episode.Length - 1);
                    var raw = _cache.Row(corpus, source, _actionColumn, at);
                    ElementConverter.ToFloats(_actionColumn.DType, raw, actionFloats.AsSpan((i * horizon + k) * width, width), _actionColumn.Key);
                }
            }
        }

        var observations = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        for (int c = 0; c < _observationColumns.Length; c++)
        {
            var column = _observationColumns[c];
            observations[column.Key] = new NdArray(column.DType, [b, history, .. column.RowShape], observationData[c]);
        }

        return new SampleBatch(batchIndex, observations, NdArray.FromFloats(actionFloats, [b, horizon, .. _actionColumn.RowShape]),
            observationMask, actionMask, tasks, corpora, episodes, steps);
    }

    /// <summary>
    /// Batches <paramref name="first"/> .. first + count - 1, prepared ahead on a background thread
    /// (at most <see cref="WindowSamplerOptions.PrefetchBatches"/> waiting). Stops when cancelled.
    /// </summary>
    public IEnumerable<SampleBatch> Batches(long first, long count, CancellationToken cancellationToken = default)
    {
        using var queue = new BlockingCollection<SampleBatch>(Options.PrefetchBatches);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                for (long k = first; k < first + count; k++)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    queue.Add(Sample(k), stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
                yield return batch;
            if (failure is not null)
                throw new InvalidOperationException($"Sampling failed: {failure.Message}", failure);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            stop.Cancel();
            producer.Wait(TimeSpan.FromSeconds(30));
        }
    }

    public void Dispose()
    {
        foreach (var corpus in _corpora)
            corpus.Source.Dispose();
    }

    private (long Group, long[][] Blocks)? _rotation;

    /// <summary>A row drawn uniformly from a block resident in this batch's rotation group.</summary>
    private long ResidentRow(int corpus, long batchIndex, SplitMix64 random)
    {
        long group = batchIndex / Options.BatchesPerRotation;
        if (_rotation is not { } rotation || rotation.Group != group)
        {
            rotation = (group, _corpora.Select((c, i) => ChooseBlocks(c.Source.RowCount, group, i)).ToArray());
            _rotation = rotation;
        }

        long[] blocks = rotation.Blocks[corpus];
        long block = blocks[random.NextLong(blocks.Length)];
        long start = block * Options.BlockRows;
        long length = Math.Min(Options.BlockRows, _corpora[corpus].Source.RowCount - start);
        return start + random.NextLong(length);
    }

    /// <summary>Distinct blocks for (seed, rotation group, corpus): a pure function, so batches stay reproducible.</summary>
    private long[] ChooseBlocks(long rows, long group, int corpus)
    {
        long blockCount = (rows + Options.BlockRows - 1) / Options.BlockRows;
        int wanted = (int)Math.Min(blockCount, Options.ResidentBlocks!.Value);
        var random = new SplitMix64(SplitMix64.Mix(SplitMix64.Mix(Options.Seed ^ 0x5EED_B10C, (ulong)group), (ulong)corpus));
        var chosen = new HashSet<long>();
        while (chosen.Count < wanted)
            chosen.Add(random.NextLong(blockCount));
        return chosen.Order().ToArray();
    }

    private int PickCorpus(double u)
    {
        for (int i = 0; i < _cumulativeWeights.Length - 1; i++)
        {
            if (u < _cumulativeWeights[i])
                return i;
        }

        return _cumulativeWeights.Length - 1;
    }

    private long ReadTask(int corpus, ITrajectorySource source, ColumnInfo column, long row)
    {
        var raw = _cache.Row(corpus, source, column, row);
        return column.DType switch
        {
            DType.Int64 => MemoryMarshal.Read<long>(raw),
            DType.Int32 => MemoryMarshal.Read<int>(raw),
            DType.UInt8 => raw[0],
            DType.Float32 => (long)MemoryMarshal.Read<float>(raw),
            DType.Float64 => (long)MemoryMarshal.Read<double>(raw),
            _ => throw new InvalidDataException($"{source.Origin}: '{column.Key}' is {column.DType.ToNumpy()}; task indices must be integers."),
        };
    }

    private sealed class CorpusIndex
    {
        private readonly long[] _starts;

        public CorpusIndex(IReadOnlyList<EpisodeRange> episodes, ColumnInfo? taskColumn)
        {
            Episodes = episodes;
            TaskColumn = taskColumn;
            _starts = episodes.Select(e => e.Start).ToArray();
        }

        public IReadOnlyList<EpisodeRange> Episodes { get; }

        public ColumnInfo? TaskColumn { get; }

        public EpisodeRange EpisodeOf(long row)
        {
            int at = Array.BinarySearch(_starts, row);
            return Episodes[at >= 0 ? at : ~at - 1];
        }
    }
}
