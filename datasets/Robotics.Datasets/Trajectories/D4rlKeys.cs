namespace Robotics.Datasets.Trajectories;

/// <summary>Key names of the D4RL flat layout; nested keys are slash paths ("infos/qpos").</summary>
public static class D4rlKeys
{
    public const string Observations = "observations";
    public const string NextObservations = "next_observations";
    public const string Actions = "actions";
    public const string Rewards = "rewards";
    public const string Terminals = "terminals";
    public const string Timeouts = "timeouts";
    public const string InfosPrefix = "infos/";
    public const string MetadataPrefix = "metadata/";

    /// <summary>Per-row task index written by <see cref="Recording.EpisodeRecorder"/> (multitask corpora).</summary>
    public const string TaskIndex = "infos/task_index";

    /// <summary>Per-row copy of the episode's success label (every row of an episode carries the same value).</summary>
    public const string Success = "infos/success";

    /// <summary>Per-row episode number, so episodes survive a shuffle or split of rows.</summary>
    public const string EpisodeIndex = "infos/episode_index";

    /// <summary>Metadata: one instruction string per task index.</summary>
    public const string TaskInstructions = "metadata/task_instructions";

    /// <summary>The keys the reference loader asserts exist.</summary>
    public static readonly IReadOnlyList<string> Required = [Observations, Actions, Rewards, Terminals];

    /// <summary>Keys stored as (N,) although some files hold them as (N, 1).</summary>
    public static readonly IReadOnlyList<string> Squeezed = [Rewards, Terminals, Timeouts];
}
