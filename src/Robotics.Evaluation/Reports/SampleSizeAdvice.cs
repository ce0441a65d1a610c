namespace Robotics.Evaluation.Reports;

/// <summary>
/// How sure this sweep can be: with <see cref="EpisodesPerCell"/> (and the pooled episodes per policy) the smallest
/// difference in success rate that a two-sided test at 5% detects with 80% power around the observed mean rate,
/// and the episodes per cell a 10-point difference would need.
/// </summary>
public sealed record SampleSizeAdvice(int EpisodesPerCell, double ReferenceRate, double DetectablePerCell, int EpisodesPerPolicy,
    double DetectablePerPolicy, int EpisodesFor10Points);
