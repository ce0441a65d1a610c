using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

public sealed class LeRobotFormat : IDatasetFormat
{
    public string Name => "lerobot";

    public string Description => "LeRobot v3.0 folder, state-based (meta/info.json, meta/stats.json, meta/tasks.parquet, data/chunk-XXX/file-XXX.parquet)";

    public bool Detect(string path) => LeRobotDataset.Looks(path);

    public FlatDataset Read(string path, CancellationToken cancellationToken = default) => LeRobotDataset.Read(path, cancellationToken);

    public void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default) => LeRobotDataset.Write(path, dataset, cancellationToken: cancellationToken);
}
