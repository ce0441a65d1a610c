using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats;

public sealed class MinariFormat : IDatasetFormat
{
    public string Name => "minari";

    public string Description => "Minari folder <root>/<name-vN> (data/main_data.hdf5 with episode_{id} groups + data/metadata.json)";

    /// <summary>Every Minari episode stores rewards and terminations (the writer refuses a dataset without them).</summary>
    public IReadOnlyList<string> RequiredColumns => [D4rlKeys.Rewards, D4rlKeys.Terminals];

    public bool Detect(string path) => MinariDataset.Looks(path);

    public FlatDataset Read(string path, CancellationToken cancellationToken = default) => MinariDataset.Read(path, cancellationToken);

    public void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default) =>
        MinariDataset.WriteFolder(path, dataset, cancellationToken: cancellationToken);

    public bool StreamsWrites => true;

    /// <summary>Episode by episode: a corpus larger than memory converts (memory is one episode's column).</summary>
    public void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        MinariDataset.WriteFolderSource(path, source, progress: progress, cancellationToken: cancellationToken);
}
