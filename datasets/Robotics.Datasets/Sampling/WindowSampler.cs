using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Core.Randomness;
using Robotics.Datasets.Sampling.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// Draws training windows (observation history + action chunk, optionally a future observation) uniformly
/// over the steps of each corpus's usable episodes (<see cref="UsableEpisodes"/>), corpora chosen by weight.
/// Batch k is a pure function of (seed, k, batch size), so results do not depend on prefetching, threads or
/// cache state. Windows never cross an episode boundary, found as <see cref="TrajectorySourceExtensions.Episodes"/>
/// finds it: infos/episode_index when the corpus has it (so robomimic's mid-demo success dones do not cut a
/// demo), else terminals/timeouts. Only those columns (1 byte per row per flag, 8 for the index) are read up
/// front; everything else is read by blocks through a bounded cache, so a corpus far larger than memory can be
/// sampled. A corpus without the action column is action-free (its windows say so in
/// <see cref="SampleBatch.HasActions"/>). The sources are disposed with the sampler unless <c>leaveOpen</c>.
/// </summary>
public sealed class WindowSampler : IDisposable
{
    private readonly CorpusSpec[] _corpora;
    private readonly CorpusIndex[] _indices;
    private readonly double[] _cumulativeWeights;
    private readonly RowBlockCache _cache;
    private readonly ColumnInfo[] _observationColumns;
    private readonly ColumnInfo? _actionColumn;
    private readonly ColumnInfo[] _futureColumns;
    private readonly bool[] _hasActions;
    private readonly bool _leaveOpen;
    private readonly object _gate = new();

    public WindowSampler(IReadOnlyList<CorpusSpec> corpora, WindowSamplerOptions? options = null, bool leaveOpen = false)
    {
        _leaveOpen = leaveOpen;
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
        _futureColumns = Options.FutureKeys.Select(k => _corpora[0].Source.Column(k)).ToArray();
        _hasActions = _corpora.Select(c => c.Source.HasColumn(Options.ActionKey)).ToArray();
        // With no labelled corpus at all (world-model pretraining on play data alone) actions are [B, horizon, 0].
        var labelled = _corpora.FirstOrDefault(c => c.Source.HasColumn(Options.ActionKey));
        _actionColumn = labelled?.Source.Column(Options.ActionKey);
        foreach (var corpus in _corpora)
        {
            foreach (var expected in _observationColumns.Concat(_futureColumns).Concat(_actionColumn is null ? [] : [_actionColumn]))
            {
                if (expected == _actionColumn && !corpus.Source.HasColumn(expected.Key))
                    continue;
                var actual = corpus.Source.Column(expected.Key);
                if (actual.DType != expected.DType || !actual.RowShape.SequenceEqual(expected.RowShape))
                    throw new ArgumentException($"Corpus '{corpus.Name}': '{expected.Key}' is {actual} but '{(expected == _actionColumn ? labelled! : _corpora[0]).Name}' has {expected}; mixed corpora must agree.", nameof(corpora));
            }
        }

        _indices = _corpora.Select(c =>
        {
            var episodes = c.Episodes ?? UsableEpisodes.Find(c.Source, Options);
            if (episodes.Count == 0 || episodes.All(e => e.Length == 0))
                throw new ArgumentException($"Corpus '{c.Name}' ({c.Source.Origin}) has no usable episodes (at least {Options.MinEpisodeLength} rows{(Options.SuccessKey is null ? "" : ", successful")}).", nameof(corpora));
            return new CorpusIndex(episodes, c.Source.HasColumn(Options.TaskIndexKey) ? c.Source.Column(Options.TaskIndexKey) : null);
        }).ToArray();
        double total = _corpora.Sum(c => c.Weight);
        double running = 0;
        _cumulativeWeights = _corpora.Select(c => running += c.Weight / total).ToArray();
        _cache = new RowBlockCache(Options.CacheBytes, Options.BlockRows);
    }

    public WindowSamplerOptions Options { get; }

    public IReadOnlyList<CorpusSpec> Corpora => _corpora;

    /// <summary>The episodes corpus <paramref name="corpus"/> draws from (its <see cref="CorpusSpec.Episodes"/>, else the usable ones).</summary>
    public IReadOnlyList<EpisodeRange> Episodes(int corpus) => _indices[corpus].Episodes;

    /// <summary>The most bytes the row cache has held (the sampler's storage footprint).</summary>
    public long PeakCacheBytes => _cache.PeakBytes;

    public long BlockReads => _cache.Reads;

    /// <summary>Rows the windows are anchored in (the usable episodes' rows), per corpus.</summary>
    public long AnchorRows(int corpus) => _indices[corpus].Rows;

    /// <summary>Whether corpus <paramref name="corpus"/> has actions.</summary>
    public bool HasActions(int corpus) => _hasActions[corpus];

    /// <summary>Batch number <paramref name="batchIndex"/> of the stream for this seed.</summary>
    public SampleBatch Sample(long batchIndex) => Sample(batchIndex, Options.BatchSize);

    /// <summary>Batch number <paramref name="batchIndex"/> of the stream for this seed, of <paramref name="batchSize"/> windows.</summary>
    public SampleBatch Sample(long batchIndex, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var random = new SplitMix64(SplitMix64.Mix(Options.Seed, (ulong)batchIndex));
        int b = batchSize;
        int futureOffset = Options.FutureOffset ?? Options.ActionHorizon;
        var futureData = _futureColumns.Select(c => new byte[(long)b * c.RowBytes]).ToArray();
        var hasActions = new bool[b];
        int history = Options.ObservationHistory;
        int horizon = Options.ActionHorizon;
        var observationData = _observationColumns.Select(c => new byte[(long)b * history * c.RowBytes]).ToArray();
        int actionWidth = _actionColumn?.RowElements ?? 0;
        var actionFloats = new float[(long)b * horizon * actionWidth];
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
                var (episode, t) = Options.ResidentBlocks is null ? index.At(random.NextLong(index.Rows)) : ResidentAnchor(corpus, batchIndex, random);
                long row = episode.Start + t;
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

                long future = episode.Start + Math.Min(t + futureOffset, episode.Length - 1);
                for (int c = 0; c < _futureColumns.Length; c++)
                    _cache.Row(corpus, source, _futureColumns[c], future).CopyTo(futureData[c].AsSpan(i * _futureColumns[c].RowBytes));

                hasActions[i] = _hasActions[corpus];
                if (!hasActions[i] || _actionColumn is null)
                    continue; // zero actions, all masked
                int first = Options.ActionsFromFirstObservation ? t - (history - 1) : t;
                int width = actionWidth;
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

        var futures = new Dictionary<string, NdArray>(StringComparer.Ordinal);
        for (int c = 0; c < _futureColumns.Length; c++)
            futures[_futureColumns[c].Key] = new NdArray(_futureColumns[c].DType, [b, .. _futureColumns[c].RowShape], futureData[c]);
        return new SampleBatch(batchIndex, observations, NdArray.FromFloats(actionFloats, [b, horizon, .. _actionColumn?.RowShape ?? [0]]),
            observationMask, actionMask, tasks, corpora, episodes, steps, hasActions, futures);
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
        if (_leaveOpen)
            return;
        foreach (var corpus in _corpora)
            corpus.Source.Dispose();
    }

    private (long Group, long[][] Blocks)? _rotation;

    /// <summary>
    /// An anchor drawn uniformly from the usable rows of a block resident in this batch's rotation group (by
    /// rejection; a group whose blocks hold no usable row falls back to a uniform anchor).
    /// </summary>
    private (EpisodeRange Episode, int Step) ResidentAnchor(int corpus, long batchIndex, SplitMix64 random)
    {
        long group = batchIndex / Options.BatchesPerRotation;
        if (_rotation is not { } rotation || rotation.Group != group)
        {
            rotation = (group, _corpora.Select((c, i) => ChooseBlocks(c.Source.RowCount, group, i)).ToArray());
            _rotation = rotation;
        }

        long[] blocks = rotation.Blocks[corpus];
        var index = _indices[corpus];
        for (int attempt = 0; attempt < 64; attempt++)
        {
            long block = blocks[random.NextLong(blocks.Length)];
            long start = block * Options.BlockRows;
            long length = Math.Min(Options.BlockRows, _corpora[corpus].Source.RowCount - start);
            long row = start + random.NextLong(length);
            if (index.Containing(row) is { } episode)
                return (episode, (int)(row - episode.Start));
        }

        return index.At(random.NextLong(index.Rows));
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

    /// <summary>The usable episodes of one corpus, sorted by start, with the running count of their rows.</summary>
    private sealed class CorpusIndex
    {
        private readonly long[] _starts;
        private readonly long[] _prefix;
        private readonly EpisodeRange[] _byStart;

        public CorpusIndex(IReadOnlyList<EpisodeRange> episodes, ColumnInfo? taskColumn)
        {
            Episodes = episodes;
            TaskColumn = taskColumn;
            _byStart = episodes.Where(e => e.Length > 0).OrderBy(e => e.Start).ToArray();
            _starts = _byStart.Select(e => e.Start).ToArray();
            _prefix = new long[_byStart.Length + 1];
            for (int e = 0; e < _byStart.Length; e++)
                _prefix[e + 1] = _prefix[e] + _byStart[e].Length;
        }

        public IReadOnlyList<EpisodeRange> Episodes { get; }

        public ColumnInfo? TaskColumn { get; }

        public long Rows => _prefix[^1];

        /// <summary>The <paramref name="k"/>-th usable row (in start order) as (episode, step).</summary>
        public (EpisodeRange Episode, int Step) At(long k)
        {
            int at = Array.BinarySearch(_prefix, k);
            int e = at >= 0 ? at : ~at - 1;
            return (_byStart[e], (int)(k - _prefix[e]));
        }

        /// <summary>The usable episode holding physical row <paramref name="row"/>, or null.</summary>
        public EpisodeRange? Containing(long row)
        {
            int at = Array.BinarySearch(_starts, row);
            int e = at >= 0 ? at : ~at - 1;
            return e >= 0 && row < _byStart[e].End ? _byStart[e] : null;
        }
    }
}
