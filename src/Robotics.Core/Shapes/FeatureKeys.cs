namespace Robotics.Core.Shapes;

/// <summary>Shared key strings, spelled as LeRobot spells them, so datasets, policies and the wire agree.</summary>
public static class FeatureKeys
{
    public const string State = "observation.state";
    public const string ImagesPrefix = "observation.images.";
    public const string Action = "action";
    public const string Reward = "next.reward";
    public const string Done = "next.done";
    public const string TaskIndex = "task_index";
    public const string EpisodeIndex = "episode_index";
    public const string FrameIndex = "frame_index";
    public const string Timestamp = "timestamp";

    public static string Image(string camera) => ImagesPrefix + camera;
}
