namespace Robotics.Policies.Data;

/// <summary>A named set of episodes and its sampling weight when several corpora are mixed.</summary>
public sealed record EpisodeCorpus(string Name, IReadOnlyList<Episode> Episodes, double Weight = 1.0);
