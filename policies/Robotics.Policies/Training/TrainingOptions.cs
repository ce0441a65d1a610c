namespace Robotics.Policies.Training;

/// <summary>Trainer settings; optimiser defaults are MoDE's (AdamW lr 1e-4, betas 0.9/0.95, weight decay 0.05).</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    public int Steps { get; set; } = 2000;
    public int BatchSize { get; set; } = 64;
    public double LearningRate { get; set; } = 1e-4;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.95;
    public double WeightDecay { get; set; } = 0.05;
    public double Epsilon { get; set; } = 1e-8;
    public int WarmupSteps { get; set; } = 100;

    /// <summary>The cosine decays to LearningRate · MinLearningRateRatio.</summary>
    public double MinLearningRateRatio { get; set; } = 0.0;

    public double GradientClip { get; set; } = 1.0;
    public double EmaPower { get; set; } = 0.75;
    public double EmaMax { get; set; } = 0.9999;
    public int CheckpointEvery { get; set; } = 500;
    public int ValidateEvery { get; set; } = 250;
    public int ValidationBatches { get; set; } = 4;
    public long Seed { get; set; }

    /// <summary>
    /// Chunk rows past an episode's end repeat its last action (Diffusion Policy's padding) and are scored; with this
    /// set they are not scored. Repeating is right for velocity or position actions (the last one holds); for force
    /// actions (maze2d) a repeated last push teaches the policy to drift past the goal.
    /// </summary>
    public bool MaskPadding { get; set; }

    /// <summary>Most megabytes of stored rows the training sampler keeps in memory (its block cache), whatever the corpus size.</summary>
    public int DataCacheMegabytes { get; set; } = 256;

    /// <summary>Rows per storage read (the unit the sampler's cache keeps).</summary>
    public int DataBlockRows { get; set; } = 4096;

    /// <summary>
    /// Null: every window is drawn uniformly over the whole corpus (best when it fits <see cref="DataCacheMegabytes"/>).
    /// A number: block-shuffled sampling for corpora larger than memory: this many blocks per corpus are resident for
    /// <see cref="DataBatchesPerRotation"/> batches and windows are anchored in them, so each block is read once per
    /// rotation instead of once per window (uniform in expectation).
    /// </summary>
    public int? DataResidentBlocks { get; set; }

    public int DataBatchesPerRotation { get; set; } = 16;

    public IEnumerable<string> Validate()
    {
        if (Steps < 1) yield return $"training.steps must be >= 1 (got {Steps}).";
        if (BatchSize < 1) yield return $"training.batch_size must be >= 1 (got {BatchSize}).";
        if (!(LearningRate > 0)) yield return $"training.learning_rate must be > 0 (got {LearningRate}).";
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) yield return $"training.beta1/beta2 must be in [0, 1) (got {Beta1}, {Beta2}).";
        if (WeightDecay < 0) yield return $"training.weight_decay must be >= 0 (got {WeightDecay}).";
        if (WarmupSteps < 0) yield return $"training.warmup_steps must be >= 0 (got {WarmupSteps}).";
        if (MinLearningRateRatio is < 0 or > 1) yield return $"training.min_learning_rate_ratio must be in [0, 1] (got {MinLearningRateRatio}).";
        if (GradientClip <= 0) yield return $"training.gradient_clip must be > 0 (got {GradientClip}).";
        if (EmaMax is < 0 or >= 1) yield return $"training.ema_max must be in [0, 1) (got {EmaMax}).";
        if (CheckpointEvery < 1) yield return $"training.checkpoint_every must be >= 1 (got {CheckpointEvery}).";
        if (ValidateEvery < 1) yield return $"training.validate_every must be >= 1 (got {ValidateEvery}).";
        if (DataCacheMegabytes < 1) yield return $"training.data_cache_megabytes must be >= 1 (got {DataCacheMegabytes}).";
        if (DataBlockRows < 1) yield return $"training.data_block_rows must be >= 1 (got {DataBlockRows}).";
        if (DataResidentBlocks is < 1) yield return $"training.data_resident_blocks must be >= 1 or unset (got {DataResidentBlocks}).";
        if (DataBatchesPerRotation < 1) yield return $"training.data_batches_per_rotation must be >= 1 (got {DataBatchesPerRotation}).";
    }
}
