using PureHDF;
using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats;

public sealed class RobomimicFormat : IDatasetFormat
{
    public string Name => "robomimic";

    public string Description => "robomimic HDF5 (data/demo_i with obs/, next_obs/, actions, rewards, dones; mask/ filter keys)";

    public bool Detect(string path)
    {
        if (!File.Exists(path))
            return false;
        try
        {
            using var file = H5File.OpenRead(path);
            return file.LinkExists("data") && file.Group("data").Children().Any(c => c.Name.StartsWith("demo_", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // not HDF5 or unreadable: another format (or the reader) reports it
        }
    }

    public FlatDataset Read(string path, CancellationToken cancellationToken = default) => RobomimicDataset.Read(path, cancellationToken);

    /// <summary>robomimic's loader reads data/demo_i/actions and rewards directly when it does not cache in memory.</summary>
    public IReadOnlyList<string> RequiredColumns => RobomimicDataset.RequiredColumns;

    public void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default) => RobomimicDataset.Write(path, dataset, cancellationToken: cancellationToken);

    public bool StreamsWrites => true;

    /// <summary>Demo by demo: a corpus larger than memory converts (memory is one demo's column).</summary>
    public void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        RobomimicDataset.WriteSource(path, source, progress, cancellationToken);
}
