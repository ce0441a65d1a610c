using System.Runtime.InteropServices;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic;

/// <summary>
/// robomimic's HDF5 layout: data/ (attrs total, env_args JSON), data/demo_i/ (attr num_samples) with
/// states, actions, rewards, dones, obs/&lt;key&gt;, next_obs/&lt;key&gt;; mask/&lt;filter&gt; = demo names.
/// Mapping to the flat layout, demos in numeric order: obs/&lt;key&gt; and next_obs/&lt;key&gt; keep their
/// names and dtypes (images stay uint8 HWC); observations = the low-dimensional obs keys (one value
/// axis) concatenated in name order as float32; states become infos/states; dones become terminals;
/// each demo's last row is a timeout unless done; infos/episode_index = the demo number;
/// metadata/env_args and metadata/mask/&lt;filter&gt; carry the attributes and filter keys.
/// </summary>
public static class RobomimicDataset
{
    public const string EnvArgsKey = "metadata/env_args";
    public const string MaskPrefix = "metadata/mask/";

    public static FlatDataset Read(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such file.", path);
        PureHDF.VOL.Native.NativeFile h5;
        try
        {
            h5 = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(path, null, $"not a readable HDF5 file ({e.Message})", e);
        }

        using (h5)
        {
            if (!h5.LinkExists("data"))
                throw new DatasetFormatException(path, "data", "required group is missing (is this a robomimic file?)");
            var data = h5.Group("data");
            var demos = data.Children().OfType<IH5Group>()
                .Where(g => g.Name.StartsWith("demo_", StringComparison.Ordinal))
                .Select(g => (Group: g, Id: long.TryParse(g.Name["demo_".Length..], out long id) ? id : throw new DatasetFormatException(path, $"data/{g.Name}", "demo group name is not demo_{integer}")))
                .OrderBy(d => d.Id)
                .ToList();
            if (demos.Count == 0)
                throw new DatasetFormatException(path, "data", "no demo_{i} groups");

            var parts = new Dictionary<string, List<NdArray>>(StringComparer.Ordinal);
            void Add(string key, NdArray array)
            {
                if (!parts.TryGetValue(key, out var list))
                    parts[key] = list = [];
                list.Add(array);
            }

            foreach (var (group, id) in demos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string where = $"data/{group.Name}";
                var actions = group.LinkExists("actions")
                    ? Hdf5Types.ReadArray(group.Dataset("actions"), path, $"{where}/actions")
                    : throw new DatasetFormatException(path, $"{where}/actions", "required key is missing");
                int t = actions.Shape[0];
                long? numSamples = Hdf5Types.ReadLongAttribute(group, "num_samples");
                if (numSamples is { } n && n != t)
                    throw new DatasetFormatException(path, where, $"attribute num_samples = {n} but actions has {t} rows");
                Add(D4rlKeys.Actions, actions);
                NdArray Optional(string key, Func<NdArray> fallback)
                {
                    if (!group.LinkExists(key))
                        return fallback();
                    var array = Hdf5Types.ReadArray(group.Dataset(key), path, $"{where}/{key}");
                    return array.Shape.Length > 0 && array.Shape[0] == t ? array
                        : throw new DatasetFormatException(path, $"{where}/{key}", $"has shape [{string.Join(", ", array.Shape)}], expected {t} rows");
                }

                var rewards = Optional("rewards", () => NdArray.FromFloats(new float[t], t));
                var dones = Optional("dones", () => new NdArray(DType.Int64, [t], new byte[t * 8]));
                bool[] done = FlagReader.ToFlags(dones, $"{where}/dones");
                var timeouts = new bool[t];
                if (t > 0 && !done[t - 1])
                    timeouts[t - 1] = true;
                Add(D4rlKeys.Rewards, rewards);
                Add("infos/dones", dones);
                Add(D4rlKeys.Terminals, new NdArray(DType.Bool, [t], done.Select(d => d ? (byte)1 : (byte)0).ToArray()));
                Add(D4rlKeys.Timeouts, new NdArray(DType.Bool, [t], timeouts.Select(d => d ? (byte)1 : (byte)0).ToArray()));
                Add(D4rlKeys.EpisodeIndex, new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(Enumerable.Repeat(id, t).ToArray().AsSpan()).ToArray()));
                if (group.LinkExists("states"))
                    Add("infos/states", Optional("states", () => throw new InvalidOperationException()));
                foreach (string prefix in new[] { "obs", "next_obs" })
                {
                    if (!group.LinkExists(prefix))
                        continue;
                    foreach (var (key, dataset) in Hdf5Types.Walk(group.Group(prefix)))
                    {
                        var array = Hdf5Types.ReadArray(dataset, path, $"{where}/{prefix}/{key}");
                        if (array.Shape.Length == 0 || array.Shape[0] != t)
                            throw new DatasetFormatException(path, $"{where}/{prefix}/{key}", $"has shape [{string.Join(", ", array.Shape)}], expected {t} rows");
                        Add($"{prefix}/{key}", array);
                    }
                }
            }

            var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (var (key, list) in parts)
            {
                if (list.Count != demos.Count)
                    throw new DatasetFormatException(path, key, $"present in {list.Count} of {demos.Count} demos");
                columns[key] = MinariDataset.Concat(list, path, key);
            }

            var lowDim = columns.Where(c => c.Key.StartsWith("obs/", StringComparison.Ordinal) && c.Value.Shape.Length == 2 && c.Value.DType != DType.UInt8)
                .OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).ToList();
            if (lowDim.Count > 0)
                columns[D4rlKeys.Observations] = ConcatFeatures(lowDim);

            var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
            if (Hdf5Types.ReadTextAttribute(data, "env_args") is { } envArgs)
                metadata[EnvArgsKey] = MetadataValue.FromText(envArgs);
            if (h5.LinkExists("mask"))
            {
                foreach (var (key, dataset) in Hdf5Types.Walk(h5.Group("mask")))
                {
                    try
                    {
                        metadata[MaskPrefix + key] = MetadataValue.FromStrings(dataset.Read<string[]>());
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        throw new DatasetFormatException(path, $"mask/{key}", $"expected an array of demo names ({e.Message})", e);
                    }
                }
            }

            return new FlatDataset(columns, metadata);
        }
    }

    /// <summary>
    /// Writes robomimic HDF5 atomically. obs/ and next_obs/ come from columns of those names; when
    /// there are none, observations becomes obs/state and next_obs/state is the next row of the
    /// same demo (the last row repeats). Filter keys come from metadata/mask/*.
    /// </summary>
    public static void Write(string path, FlatDataset dataset, Hdf5WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var episodes = dataset.Episodes();
        var data = new H5Group();
        var obsColumns = dataset.Columns.Keys.Where(k => k.StartsWith("obs/", StringComparison.Ordinal)).ToList();
        foreach (var episode in episodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = dataset.Slice(episode.Start, episode.Length);
            int t = episode.Length;
            var demo = new H5Group
            {
                ["actions"] = Dataset(slice.Column(D4rlKeys.Actions)),
                ["rewards"] = Dataset(slice.Column(D4rlKeys.Rewards)),
                ["dones"] = Dataset(slice.HasColumn("infos/dones") ? slice.Column("infos/dones")
                    : new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(slice.Flags(D4rlKeys.Terminals).Select(f => f ? 1L : 0L).ToArray().AsSpan()).ToArray())),
                Attributes = new() { ["num_samples"] = (long)t },
            };
            if (slice.HasColumn("infos/states"))
                demo["states"] = Dataset(slice.Column("infos/states"));
            var obs = new H5Group();
            var next = new H5Group();
            if (obsColumns.Count > 0)
            {
                foreach (string key in obsColumns)
                {
                    obs[key["obs/".Length..]] = Dataset(slice.Column(key));
                    string nextKey = "next_" + key;
                    next[key["obs/".Length..]] = Dataset(slice.HasColumn(nextKey) ? slice.Column(nextKey) : Shifted(slice.Column(key)));
                }
            }
            else
            {
                obs["state"] = Dataset(slice.Column(D4rlKeys.Observations));
                next["state"] = Dataset(slice.HasColumn(D4rlKeys.NextObservations) ? slice.Column(D4rlKeys.NextObservations) : Shifted(slice.Column(D4rlKeys.Observations)));
            }

            demo["obs"] = obs;
            demo["next_obs"] = next;
            data[$"demo_{episode.Index}"] = demo;
        }

        data.Attributes = new()
        {
            ["total"] = dataset.RowCount,
            ["env_args"] = dataset.Metadata.TryGetValue(EnvArgsKey, out var env) && env.IsText ? env.Text : "{}",
        };
        var file = new H5File { ["data"] = data };
        var masks = dataset.Metadata.Where(m => m.Key.StartsWith(MaskPrefix, StringComparison.Ordinal) && m.Value.IsText).ToList();
        if (masks.Count > 0)
        {
            var mask = new H5Group();
            foreach (var (key, value) in masks)
                mask[key[MaskPrefix.Length..]] = new H5Dataset(value.Strings!.ToArray());
            file["mask"] = mask;
        }

        AtomicFile.Write(path, temp => file.Write(temp));
    }

    private static H5Dataset Dataset(NdArray array) => new(Hdf5Types.ToTypedArray(array), fileDims: array.Shape.Select(d => (ulong)d).ToArray());

    /// <summary>Row i + 1 for each row i, the last row repeated: next_obs within one demo.</summary>
    private static NdArray Shifted(NdArray array)
    {
        int t = array.Shape[0];
        int rowBytes = t == 0 ? 0 : array.Data.Length / t;
        var data = new byte[array.Data.Length];
        if (t > 0)
        {
            array.Data.AsSpan(rowBytes).CopyTo(data);
            array.Data.AsSpan((t - 1) * rowBytes, rowBytes).CopyTo(data.AsSpan((t - 1) * rowBytes));
        }

        return new NdArray(array.DType, array.Shape, data);
    }

    private static NdArray ConcatFeatures(IReadOnlyList<NdArray> features)
    {
        int rows = features[0].Shape[0];
        int width = features.Sum(f => f.Shape[1]);
        var values = new float[(long)rows * width];
        int offset = 0;
        foreach (var feature in features)
        {
            float[] f = feature.ToFloats();
            int w = feature.Shape[1];
            for (int r = 0; r < rows; r++)
                Array.Copy(f, (long)r * w, values, (long)r * width + offset, w);
            offset += w;
        }

        return NdArray.FromFloats(values, rows, width);
    }
}
