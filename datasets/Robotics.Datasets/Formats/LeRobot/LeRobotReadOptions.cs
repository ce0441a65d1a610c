namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>What <see cref="LeRobotDataset.Read(string, LeRobotReadOptions?, CancellationToken)"/> loads.</summary>
public sealed record LeRobotReadOptions
{
    /// <summary>lerobot's default <c>tolerance_s</c> (LeRobotDataset, decode_video_frames): a video frame must lie this close to the row's timestamp.</summary>
    public const double DefaultToleranceS = 1e-4;

    /// <summary>
    /// The features to load (info.json names); null loads every feature. Columns that are not named are
    /// never read from the parquet files (their column chunks are skipped), and videos not named are not
    /// decoded. episode_index, index, timestamp and frame_index are always read.
    /// </summary>
    public IReadOnlyCollection<string>? Features { get; init; }

    public double ToleranceS { get; init; } = DefaultToleranceS;
}
