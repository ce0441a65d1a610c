namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// Where one video feature of an episode lives: its file and the episode's start time in it, and its end
/// time when the metadata records one (v3.0's to_timestamp; v2.1 files hold one episode, so null there).
/// </summary>
public sealed record LeRobotVideoSpan(string Path, double FromTimestamp, double? ToTimestamp = null);

/// <summary>
/// One episode as meta/episodes (v3.0) or meta/episodes.jsonl (v2.1) describes it: its index, length,
/// tasks, the data file holding its rows and, per video feature, the file and start time of its frames.
/// </summary>
public sealed record LeRobotEpisode(
    long Index,
    long Length,
    IReadOnlyList<string> Tasks,
    string DataPath,
    IReadOnlyDictionary<string, LeRobotVideoSpan> Videos);
