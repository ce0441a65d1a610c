namespace Robotics.Datasets.Formats.Robomimic;

/// <summary>Where robomimic's file layout lands in the flat layout (column and metadata keys).</summary>
public static class RobomimicKeys
{
    /// <summary>data.attrs["env_args"]: the JSON env_meta robomimic's loader reads (env_name, type, env_kwargs).</summary>
    public const string EnvArgs = "metadata/env_args";

    /// <summary>mask/&lt;filter&gt; (lists of demo names) become metadata/mask/&lt;filter&gt;.</summary>
    public const string MaskPrefix = "metadata/mask/";

    /// <summary>
    /// Attributes of data/demo_&lt;id&gt; other than num_samples (model_file, ep_meta, camera_info, ...)
    /// become metadata/episode_attrs/&lt;id&gt;/&lt;name&gt;: keyed by the episode id (infos/episode_index),
    /// so they follow their demo through splits and row selections.
    /// </summary>
    public const string EpisodeAttrsPrefix = "metadata/episode_attrs/";

    /// <summary>Attributes of data other than total and env_args become metadata/robomimic_data_attrs/&lt;name&gt;.</summary>
    public const string DataAttrsPrefix = "metadata/robomimic_data_attrs/";

    /// <summary>Datasets and attributes of a demo that have no place in the flat layout, listed rather than dropped silently.</summary>
    public const string Skipped = "metadata/robomimic_skipped";

    /// <summary>data/demo_i/dones, kept with its dtype; terminals are derived from it.</summary>
    public const string Dones = "infos/dones";

    /// <summary>data/demo_i/states (simulator states for reset_to).</summary>
    public const string States = "infos/states";

    /// <summary>data/demo_i/action_dict/&lt;k&gt; keep their path as columns.</summary>
    public const string ActionDictPrefix = "action_dict/";

    /// <summary>data/demo_i/actions_abs (absolute-pose actions of robosuite_add_absolute_actions.py).</summary>
    public const string ActionsAbs = "actions_abs";

    public const string ObsPrefix = "obs/";

    public const string NextObsPrefix = "next_obs/";

    /// <summary>The metadata key of attribute <paramref name="name"/> of the demo with episode id <paramref name="id"/>.</summary>
    public static string EpisodeAttr(long id, string name) => $"{EpisodeAttrsPrefix}{id}/{name}";
}
