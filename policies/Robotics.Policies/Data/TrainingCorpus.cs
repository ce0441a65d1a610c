using Robotics.Datasets.Formats;
using Robotics.Datasets.Trajectories;

namespace Robotics.Policies.Data;

/// <summary>
/// One corpus to train on: its rows (any format the datasets library reads: D4RL, Minari, robomimic, LeRobot; HDF5
/// streams from disk), its sampling weight in a mixture, and where it came from. Statistics stored beside it
/// (<c>PATH.stats.json</c>, written by <c>robotics dataset stats PATH --out PATH.stats.json</c>) are used instead of
/// a pass over the corpus.
/// </summary>
public sealed record TrainingCorpus(string Path, ITrajectorySource Source, double Weight = 1.0)
{
    public string StatsPath => Path.TrimEnd('/', '\\') + ".stats.json";

    /// <summary>Opens <paramref name="path"/> in <paramref name="format"/> (null or "auto": detected).</summary>
    public static TrainingCorpus Open(string path, double weight = 1.0, string? format = null, CancellationToken cancellationToken = default) =>
        new(path, DatasetFormats.Default.Resolve(path, format).OpenSource(path, cancellationToken), weight);
}
