namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// How <see cref="LeRobotDataset.Write(string, Trajectories.FlatDataset, LeRobotWriteOptions, CancellationToken)"/> lays a v3.0 folder out;
/// the defaults are lerobot's (utils.py DEFAULT_CHUNK_SIZE, DEFAULT_DATA_FILE_SIZE_IN_MB, DEFAULT_VIDEO_FILE_SIZE_IN_MB)
/// and are recorded in info.json.
/// </summary>
public sealed record LeRobotWriteOptions
{
    /// <summary>The frame rate; null takes it from the dataset's metadata (<see cref="LeRobotDataset.FpsOf"/>) and refuses when unknown.</summary>
    public double? Fps { get; init; }

    /// <summary>A data file takes episodes until the next would bring it to this size (MiB, as upstream divides by 1024**2).</summary>
    public double DataFilesSizeInMb { get; init; } = 100;

    /// <summary>A video file takes source or episode mp4s until the next would bring it to this size (MiB).</summary>
    public double VideoFilesSizeInMb { get; init; } = 200;

    /// <summary>Files per chunk folder: file-000 .. file-(chunks_size - 1), then the next chunk-XXX.</summary>
    public int ChunksSize { get; init; } = 1000;
}
