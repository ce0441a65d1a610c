namespace Robotics.Datasets.Registry;

/// <summary>
/// A dataset known by name: its reference scores (D4RL's REF_MIN / REF_MAX), episode limit, and how it
/// is produced. <see cref="Pattern"/> ends in "*" for families ("hopper-*") that share the scores.
/// </summary>
public sealed record NamedDataset(string Pattern, double RefMinScore, double RefMaxScore, int? MaxEpisodeSteps = null, string? Source = null)
{
    public bool Matches(string name) => Pattern.EndsWith('*')
        ? name.StartsWith(Pattern[..^1], StringComparison.Ordinal)
        : string.Equals(Pattern, name, StringComparison.Ordinal);

    /// <summary>100 · (score − REF_MIN) / (REF_MAX − REF_MIN), as d4rl.get_normalized_score (times 100).</summary>
    public double NormalizedScore(double score) => 100.0 * (score - RefMinScore) / (RefMaxScore - RefMinScore);
}
