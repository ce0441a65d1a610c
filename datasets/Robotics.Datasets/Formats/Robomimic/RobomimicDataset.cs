using Robotics.Datasets.Formats.Robomimic.Internal;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic;

/// <summary>
/// robomimic's HDF5 layout: data/ (attrs total, env_args JSON), data/demo_&lt;id&gt;/ (attrs num_samples,
/// model_file, ep_meta, ...) with actions, rewards, dones, states, actions_abs, action_dict/&lt;k&gt;,
/// obs/&lt;k&gt;, next_obs/&lt;k&gt;; mask/&lt;filter&gt; = demo names (bytes, as create_hdf5_filter_key writes them).
/// <para>
/// Reading, demos in numeric order (as robomimic's loader sorts them): one episode per demo whatever
/// dones says (infos/episode_index = the demo number; released datasets use done mode 2, done at
/// every success step while recording goes on). dones is kept as infos/dones and terminals = dones
/// != 0 row by row, because robomimic means dones as the TD mask (its algorithms bootstrap with
/// 1 - dones), which is what terminals means to D4RL's qlearning_dataset; a demo's last row is a
/// timeout when it has no done. obs/, next_obs/, action_dict/ and actions_abs keep their names and
/// dtypes (images stay uint8 HWC); observations = the low-dimensional obs keys concatenated in name
/// order as float32; states become infos/states. Demo attributes become
/// metadata/episode_attrs/&lt;id&gt;/&lt;name&gt;, env_args metadata/env_args, masks metadata/mask/&lt;filter&gt;.
/// A file without rewards reads without a rewards column (nothing invented).
/// </para>
/// </summary>
public static class RobomimicDataset
{
    public const string EnvArgsKey = RobomimicKeys.EnvArgs;
    public const string MaskPrefix = RobomimicKeys.MaskPrefix;

    /// <summary>The columns a robomimic file cannot be written without (dones come from terminals when infos/dones is absent).</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = [D4rlKeys.Actions, D4rlKeys.Rewards];

    public static FlatDataset Read(string path, CancellationToken cancellationToken = default) => RobomimicReader.Read(path, cancellationToken);

    /// <summary>
    /// Writes robomimic HDF5 atomically, one demo per episode (<see cref="FlatDataset.Episodes"/>).
    /// Demos are named demo_&lt;episode id&gt; when the ids are distinct, else demo_0.. in order, and
    /// every mask is rewritten to the names written, entries for demos not in the dataset dropped
    /// (so after a split a mask never names the other part's demos). env_args always has env_name,
    /// type and env_kwargs. Per-demo attributes (model_file, ep_meta) come back from
    /// metadata/episode_attrs. 1-D actions, actions_abs and action_dict entries are written (N, 1).
    /// dones are infos/dones when present, else terminals with 1 on every demo's last row (robomimic's
    /// convert_d4rl.py and done modes 1/2), so a time-limit end reads back as a terminal.
    /// obs/ and next_obs/ come from columns of those names; when there are none, observations becomes
    /// obs/state and next_obs/state is the next row of the same demo (the last row repeats). Other
    /// metadata goes to a top-level metadata/ group that robomimic ignores and our reader restores.
    /// </summary>
    public static void Write(string path, FlatDataset dataset, Hdf5WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var source = new FlatDatasetSource(dataset);
        WriteSource(path, source, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <see cref="Write"/> from a source, one demo at a time: the same file, with memory bounded by one demo's
    /// column (datasets are stored contiguous and uncompressed, as the D4RL stream writer's are).
    /// </summary>
    public static void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var missing = RequiredColumns.Where(k => !source.HasColumn(k)).ToArray();
        if (missing.Length > 0)
            throw new MissingColumnException(path, "robomimic", missing);
        RobomimicWriter.Write(path, source, progress, cancellationToken);
    }
}
