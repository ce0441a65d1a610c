using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// One corpus in a training mixture: its rows, its share of the samples (weights are normalised
/// over the mixture), the task index used when the corpus has no infos/task_index column, and
/// optionally the episodes to draw from (e.g. a training or validation part of
/// <see cref="UsableEpisodes.Find"/>); null draws from every usable episode.
/// </summary>
public sealed record CorpusSpec(string Name, ITrajectorySource Source, double Weight = 1.0, long DefaultTaskIndex = 0,
    IReadOnlyList<EpisodeRange>? Episodes = null);
