using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// The shape of training windows and how they are drawn. A window anchored at step t of an episode
/// holds observations t - (history - 1) .. t and actions t .. t + horizon - 1 (or, with
/// <see cref="ActionsFromFirstObservation"/>, the Diffusion Policy alignment starting at the first
/// observation frame). Frames outside the episode repeat the edge frame and are masked false.
/// </summary>
public sealed record WindowSamplerOptions
{
    public int ObservationHistory { get; init; } = 2;

    public int ActionHorizon { get; init; } = 16;

    public IReadOnlyList<string> ObservationKeys { get; init; } = [D4rlKeys.Observations];

    /// <summary>Actions column. A corpus without it is action-free (play data, another robot's logs): its windows
    /// have zero actions, every action masked, and <see cref="SampleBatch.HasActions"/> false.</summary>
    public string ActionKey { get; init; } = D4rlKeys.Actions;

    /// <summary>Observation columns also read at <see cref="FutureOffset"/> steps after the window's current frame
    /// (clamped to the episode's last row): a world model's prediction target.</summary>
    public IReadOnlyList<string> FutureKeys { get; init; } = [];

    /// <summary>Steps from the current frame to the future target; null: the action horizon (the frame after the chunk).</summary>
    public int? FutureOffset { get; init; }

    /// <summary>Per-row success flag column: episodes whose first row is not successful are not drawn. Null: all are.</summary>
    public string? SuccessKey { get; init; }

    /// <summary>A column (e.g. a goal) whose change of value starts a new episode for windowing.</summary>
    public string? SegmentKey { get; init; }

    /// <summary>Episodes shorter than this are not drawn.</summary>
    public int MinEpisodeLength { get; init; } = 1;

    /// <summary>Diffusion Policy's alignment: the action chunk starts at the first observation frame, not the current one.</summary>
    public bool ActionsFromFirstObservation { get; init; }

    public int BatchSize { get; init; } = 64;

    public ulong Seed { get; init; }

    /// <summary>Per-row task index column; corpora without it use their <see cref="CorpusSpec.DefaultTaskIndex"/>.</summary>
    public string TaskIndexKey { get; init; } = D4rlKeys.TaskIndex;

    /// <summary>Most bytes of decoded rows kept in memory across all corpora and keys.</summary>
    public long CacheBytes { get; init; } = 256L << 20;

    /// <summary>Rows read per storage access; a block is the unit the cache keeps.</summary>
    public int BlockRows { get; init; } = 4096;

    /// <summary>
    /// Null: every window's step is drawn uniformly over the whole corpus (exact, best when the corpus
    /// fits the cache). A number: block-shuffled sampling for corpora larger than memory: every
    /// <see cref="BatchesPerRotation"/> batches, this many blocks of <see cref="BlockRows"/> rows are
    /// drawn per corpus and windows are anchored only in them, so each block is read once per rotation
    /// instead of once per window. Uniform in expectation; windows of one batch share few regions.
    /// </summary>
    public int? ResidentBlocks { get; init; }

    public int BatchesPerRotation { get; init; } = 16;

    /// <summary>Batches prepared ahead on a background thread.</summary>
    public int PrefetchBatches { get; init; } = 4;

    public void Validate()
    {
        if (ObservationHistory < 1)
            throw new ArgumentOutOfRangeException(nameof(ObservationHistory), ObservationHistory, "needs at least 1 observation frame");
        if (ActionHorizon < 1)
            throw new ArgumentOutOfRangeException(nameof(ActionHorizon), ActionHorizon, "needs at least 1 action");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be positive");
        if (BlockRows < 1)
            throw new ArgumentOutOfRangeException(nameof(BlockRows), BlockRows, "must be positive");
        if (CacheBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(CacheBytes), CacheBytes, "must not be negative");
        if (PrefetchBatches < 1)
            throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches, "must be positive");
        if (ResidentBlocks is < 1)
            throw new ArgumentOutOfRangeException(nameof(ResidentBlocks), ResidentBlocks, "must be at least 1 (or null for uniform sampling)");
        if (BatchesPerRotation < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchesPerRotation), BatchesPerRotation, "must be positive");
        if (FutureOffset is < 0)
            throw new ArgumentOutOfRangeException(nameof(FutureOffset), FutureOffset, "must not be negative");
        if (MinEpisodeLength < 1)
            throw new ArgumentOutOfRangeException(nameof(MinEpisodeLength), MinEpisodeLength, "must be at least 1");
        if (ObservationKeys.Count == 0)
            throw new ArgumentException("At least one observation key is needed.", nameof(ObservationKeys));
    }
}
