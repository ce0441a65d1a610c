using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

public sealed class LeRobotFormat : IDatasetFormat
{
    public string Name => "lerobot";

    public string Description => "LeRobot folder: reads v3.0 and v2.1 (state, image, video, string and language features), writes v3.0 (meta/info.json, stats.json, tasks.parquet, episodes, data/chunk-XXX/file-XXX.parquet)";

    public bool Detect(string path) => LeRobotDataset.Looks(path);

    public FlatDataset Read(string path, CancellationToken cancellationToken = default) => LeRobotDataset.Read(path, cancellationToken);

    /// <summary>Streams: videos are decoded row by row as the pass asks for them, never whole (<see cref="LeRobotTrajectorySource"/>).</summary>
    public ITrajectorySource OpenSource(string path, CancellationToken cancellationToken = default) => LeRobotTrajectorySource.Open(path, null, cancellationToken);

    public bool StreamsReads => true;

    /// <summary>fps comes from the dataset's metadata (metadata/fps or a LeRobot source's info.json); unknown fps is refused.</summary>
    public void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default) => LeRobotDataset.Write(path, dataset, cancellationToken: cancellationToken);

    public bool StreamsWrites => true;

    /// <summary>Episode by episode (row group, stats, video frames): a corpus larger than memory converts; fps as for <see cref="Write"/>.</summary>
    public void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        LeRobotDataset.WriteSource(path, source, new LeRobotWriteOptions(), progress, cancellationToken);
}
