namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// How a Minari episode maps to flat keys. Dict / Tuple observation spaces become one column per leaf,
/// named as robomimic's obs keys are in this library: obs/&lt;path&gt; (rows 0..T-1) and
/// next_obs/&lt;path&gt; (rows 1..T), Dict keys and Tuple members ("_index_i", as on disk) joined by "/".
/// Dict / Tuple actions become act/&lt;path&gt;. Per-episode values that have no row axis (the reset
/// row of each info, the seed, the id) are kept as metadata arrays with one entry per episode.
/// </summary>
public static class MinariKeys
{
    public const string ObservationPrefix = "obs/";
    public const string NextObservationPrefix = "next_obs/";
    public const string ActionPrefix = "act/";

    /// <summary>metadata.json, verbatim.</summary>
    public const string Metadata = "metadata/minari";

    /// <summary>The source episode id of each episode, in reading order (int64).</summary>
    public const string EpisodeIds = "metadata/minari_episodes/id";

    /// <summary>The seed attribute of each episode as decimal text ("" where none was recorded).</summary>
    public const string EpisodeSeeds = "metadata/minari_episodes/seed";

    /// <summary>Prefix of the reset row (row 0 of T + 1) of each info, one row per episode.</summary>
    public const string ResetInfosPrefix = "metadata/minari_episodes/reset_infos/";

    /// <summary>Datasets that were found but not mapped, each with the reason (never dropped silently).</summary>
    public const string Skipped = "metadata/minari_skipped";

    public static string TupleMember(int index) => $"_index_{index}";
}
