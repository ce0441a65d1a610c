using Robotics.Core.Arrays;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Minari's HDF5 layout (minari 0.5.3): a dataset folder &lt;root&gt;/&lt;dataset_id&gt; whose data/ holds
/// metadata.json and main_data.hdf5 with one group "episode_{id}" per episode: observations (T + 1
/// rows), actions, rewards, terminations, truncations (T rows), infos/* (T + 1 rows, the reset info
/// first), and attributes id, total_steps, seed.
/// Mapping to the flat layout: observations = rows 0..T-1, next_observations = rows 1..T,
/// terminals = terminations, timeouts = truncations, infos/episode_index = the episode id,
/// metadata/minari = the metadata.json text; Dict / Tuple spaces as <see cref="MinariKeys"/> names them.
/// </summary>
public static class MinariDataset
{
    public const string DataFile = "main_data.hdf5";
    public const string MetadataFile = "metadata.json";
    public const string MetadataKey = MinariKeys.Metadata;

    /// <summary>Accepts the dataset folder, its data/ folder, or main_data.hdf5 itself.</summary>
    public static string ResolveDataFolder(string path)
    {
        if (File.Exists(path))
            return Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (File.Exists(Path.Combine(path, DataFile)))
            return path;
        if (File.Exists(Path.Combine(path, "data", DataFile)))
            return Path.Combine(path, "data");
        throw new FileNotFoundException($"{path}: no {DataFile} here or under data/ (is this a Minari dataset?)");
    }

    public static bool Looks(string path) =>
        Directory.Exists(path) && (File.Exists(Path.Combine(path, DataFile)) || File.Exists(Path.Combine(path, "data", DataFile)))
        || Path.GetFileName(path) == DataFile;

    public static FlatDataset Read(string path, CancellationToken cancellationToken = default) => MinariReader.Read(path, cancellationToken);

    /// <summary>
    /// Writes <paramref name="dataset"/> as the Minari dataset <paramref name="datasetId"/>
    /// ("[namespace/]name-vN") under <paramref name="root"/>, at &lt;root&gt;/&lt;datasetId&gt; as
    /// minari lays out its datasets path, atomically (the folder appears complete or not at all).
    /// Returns the dataset folder. The T + 1-th observation of each episode comes from
    /// next_observations when present, else it repeats the last observation (noted in metadata.json
    /// as "final_observation": "repeated").
    /// </summary>
    public static string Write(string root, FlatDataset dataset, string datasetId, MinariWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var source = new FlatDatasetSource(dataset);
        return WriteSource(root, source, datasetId, options, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <see cref="Write"/> from a source, one episode at a time: the same dataset, with memory bounded by one episode's
    /// column (HDF5 datasets are stored contiguous and uncompressed, as the D4RL stream writer's are).
    /// </summary>
    public static string WriteSource(string root, ITrajectorySource source, string datasetId, MinariWriteOptions? options = null,
        IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        MinariWriter.Write(root, source, MinariDatasetId.Parse(datasetId), options ?? new MinariWriteOptions(), progress, cancellationToken);

    /// <summary>
    /// Writes to the dataset folder <paramref name="folder"/> itself, whose name must be a Minari id
    /// "name-vN" (its parent is then the datasets root).
    /// </summary>
    public static string WriteFolder(string folder, FlatDataset dataset, MinariWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var source = new FlatDatasetSource(dataset);
        return WriteFolderSource(folder, source, options, cancellationToken: cancellationToken);
    }

    /// <summary><see cref="WriteFolder"/> from a source, one episode at a time (see <see cref="WriteSource"/>).</summary>
    public static string WriteFolderSource(string folder, ITrajectorySource source, MinariWriteOptions? options = null,
        IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        string name = Path.GetFileName(full);
        if (!MinariDatasetId.IsValid(name) || name.Contains('/'))
            throw new ArgumentException($"{folder}: a Minari dataset folder is named by its id, name-vN (e.g. {(name.Length > 0 ? name : "dataset")}-v0), as minari's datasets path lays it out.", nameof(folder));
        return WriteSource(Path.GetDirectoryName(full)!, source, name, options, progress, cancellationToken);
    }
}
