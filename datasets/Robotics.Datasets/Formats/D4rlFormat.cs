using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats;

public sealed class D4rlFormat : IDatasetFormat
{
    public string Name => "d4rl";

    public string Description => "D4RL flat HDF5 (observations, actions, rewards, terminals, timeouts, infos/*, metadata/*)";

    public bool Detect(string path) => File.Exists(path) && (path.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase));

    public FlatDataset Read(string path, CancellationToken cancellationToken = default) => D4rlHdf5Reader.Read(path, cancellationToken);

    /// <summary>D4RL files stream: rows are read by range, never the whole file.</summary>
    public ITrajectorySource OpenSource(string path, CancellationToken cancellationToken = default) => Hdf5TrajectoryFile.Open(path);

    public bool StreamsReads => true;

    /// <summary>d4rl's get_dataset asserts these keys exist.</summary>
    public IReadOnlyList<string> RequiredColumns => D4rlKeys.Required;

    public bool StreamsWrites => true;

    /// <summary>Block by block: a corpus larger than memory converts (see <see cref="D4rlHdf5StreamWriter"/>).</summary>
    public void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var missing = RequiredColumns.Where(k => !source.HasColumn(k)).ToArray();
        if (missing.Length > 0)
            throw new MissingColumnException(path, Name, missing);
        D4rlHdf5StreamWriter.Write(path, source, progress: progress, cancellationToken: cancellationToken);
    }

    public void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default)
    {
        RequiredColumnCheck.Ensure(this, path, dataset);
        D4rlHdf5Writer.Write(path, dataset, cancellationToken: cancellationToken);
    }
}
