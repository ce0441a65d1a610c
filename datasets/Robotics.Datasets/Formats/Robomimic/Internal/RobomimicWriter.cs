using System.Runtime.InteropServices;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic.Internal;

/// <summary>Writes the flat layout as robomimic HDF5; the mapping is documented on <see cref="RobomimicDataset.Write"/>.</summary>
internal static class RobomimicWriter
{
    public static void Write(string path, FlatDataset dataset, CancellationToken cancellationToken)
    {
        var episodes = dataset.Episodes();
        var naming = DemoNaming.For(episodes);
        var data = new H5Group();
        var obsColumns = dataset.Columns.Keys.Where(k => k.StartsWith(RobomimicKeys.ObsPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var actionDict = dataset.Columns.Keys.Where(k => k.StartsWith(RobomimicKeys.ActionDictPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var episodeAttrs = EpisodeAttributes(dataset.Metadata);
        for (int e = 0; e < episodes.Count; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episode = episodes[e];
            var slice = dataset.Slice(episode.Start, episode.Length);
            int t = episode.Length;
            var demo = new H5Group
            {
                // robomimic's get_shape_metadata_from_dataset asserts every action key is (N, D).
                ["actions"] = Dataset(AtLeast2D(slice.Column(D4rlKeys.Actions))),
                ["rewards"] = Dataset(slice.Column(D4rlKeys.Rewards)),
                ["dones"] = Dataset(slice.HasColumn(RobomimicKeys.Dones) ? slice.Column(RobomimicKeys.Dones) : DonesFromTerminals(slice, t)),
            };
            var demoAttributes = new Dictionary<string, object>(StringComparer.Ordinal);
            if (slice.HasColumn(RobomimicKeys.States))
                demo["states"] = Dataset(slice.Column(RobomimicKeys.States));
            if (slice.HasColumn(RobomimicKeys.ActionsAbs))
                demo[RobomimicKeys.ActionsAbs] = Dataset(AtLeast2D(slice.Column(RobomimicKeys.ActionsAbs)));
            if (actionDict.Count > 0)
            {
                var group = new H5Group();
                foreach (string key in actionDict)
                    D4rlHdf5Writer.Place(group, key[RobomimicKeys.ActionDictPrefix.Length..], Dataset(AtLeast2D(slice.Column(key))));
                demo["action_dict"] = group;
            }

            var obs = new H5Group();
            var next = new H5Group();
            if (obsColumns.Count > 0)
            {
                foreach (string key in obsColumns)
                {
                    string name = key[RobomimicKeys.ObsPrefix.Length..];
                    string nextKey = "next_" + key;
                    D4rlHdf5Writer.Place(obs, name, Dataset(slice.Column(key)));
                    D4rlHdf5Writer.Place(next, name, Dataset(slice.HasColumn(nextKey) ? slice.Column(nextKey) : Shifted(slice.Column(key))));
                }
            }
            else
            {
                obs["state"] = Dataset(slice.Column(D4rlKeys.Observations));
                next["state"] = Dataset(slice.HasColumn(D4rlKeys.NextObservations) ? slice.Column(D4rlKeys.NextObservations) : Shifted(slice.Column(D4rlKeys.Observations)));
            }

            demo["obs"] = obs;
            demo["next_obs"] = next;
            if (episode.Id is { } id && episodeAttrs.TryGetValue(id, out var attrs))
            {
                foreach (var (name, value) in attrs)
                    demoAttributes[name] = value;
            }

            demoAttributes["num_samples"] = (long)t; // always the written length, whatever the metadata said
            demo.Attributes = demoAttributes;

            data[naming.Names[e]] = demo;
        }

        var dataAttributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in dataset.Metadata.Where(m => m.Key.StartsWith(RobomimicKeys.DataAttrsPrefix, StringComparison.Ordinal)))
        {
            if (AttributeValue(value) is { } attribute)
                dataAttributes[key[RobomimicKeys.DataAttrsPrefix.Length..]] = attribute;
        }

        dataAttributes["total"] = dataset.RowCount;
        dataAttributes["env_args"] = EnvArgs.Complete(dataset.Metadata);
        data.Attributes = dataAttributes;

        var file = new H5File { ["data"] = data };
        var mask = new H5Group();
        int masks = 0;
        foreach (var (key, value) in dataset.Metadata.Where(m => m.Key.StartsWith(RobomimicKeys.MaskPrefix, StringComparison.Ordinal) && m.Value.IsText).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var names = naming.Translate(value.Strings!);
            if (names.Count > 0) // a mask none of whose demos is written would only name missing demos
            {
                D4rlHdf5Writer.Place(mask, key[RobomimicKeys.MaskPrefix.Length..], new H5Dataset(names.ToArray()));
                masks++;
            }
        }

        if (masks > 0)
            file["mask"] = mask;

        var rest = new H5Group();
        var others = dataset.Metadata.Where(m => !IsRobomimicMetadata(m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        foreach (var (key, value) in others)
            D4rlHdf5Writer.Place(rest, key[D4rlKeys.MetadataPrefix.Length..], D4rlHdf5Writer.MetadataDataset(value));
        if (others.Count > 0)
            file["metadata"] = rest;

        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(path, temp => file.Write(temp));
    }

    /// <summary>Metadata that has a robomimic place of its own (and so is not copied into metadata/).</summary>
    private static bool IsRobomimicMetadata(string key) =>
        key == RobomimicKeys.EnvArgs || key == RobomimicKeys.Skipped
        || key.StartsWith(RobomimicKeys.MaskPrefix, StringComparison.Ordinal)
        || key.StartsWith(RobomimicKeys.EpisodeAttrsPrefix, StringComparison.Ordinal)
        || key.StartsWith(RobomimicKeys.DataAttrsPrefix, StringComparison.Ordinal);

    /// <summary>metadata/episode_attrs/&lt;id&gt;/&lt;name&gt; grouped by episode id.</summary>
    private static Dictionary<long, List<(string Name, object Value)>> EpisodeAttributes(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        var byId = new Dictionary<long, List<(string, object)>>();
        foreach (var (key, value) in metadata.Where(m => m.Key.StartsWith(RobomimicKeys.EpisodeAttrsPrefix, StringComparison.Ordinal)).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            string rest = key[RobomimicKeys.EpisodeAttrsPrefix.Length..];
            int slash = rest.IndexOf('/');
            if (slash <= 0 || !long.TryParse(rest[..slash], out long id) || AttributeValue(value) is not { } attribute)
                continue;
            if (!byId.TryGetValue(id, out var list))
                byId[id] = list = [];
            list.Add((rest[(slash + 1)..], attribute));
        }

        return byId;
    }

    /// <summary>A metadata value as an HDF5 attribute: text as a string, a numeric scalar as its number.</summary>
    private static object? AttributeValue(MetadataValue value)
    {
        if (value.IsText)
            return value.IsScalar ? value.Text : value.Strings!.ToArray();
        var array = value.Array!;
        if (array.Shape.Length != 0)
            return null;
        return array.DType switch
        {
            DType.Int64 => array.AsSpan<long>()[0],
            DType.Int32 => array.AsSpan<int>()[0],
            DType.Float64 => array.AsSpan<double>()[0],
            DType.Float32 => array.AsSpan<float>()[0],
            _ => null,
        };
    }

    /// <summary>
    /// dones for a source that has none: terminals, and 1 on the demo's last row whatever ended it,
    /// as robomimic's own convert_d4rl.py writes them ("make sure done is true") and done modes 1
    /// and 2 do; its TD algorithms must not bootstrap past a demo's end, where next_obs may be the
    /// repeated last observation. A time-limit end therefore reads back as a terminal. Integers, as
    /// dataset_states_to_obs.py writes int(done).
    /// </summary>
    private static NdArray DonesFromTerminals(FlatDataset slice, int t)
    {
        bool[] done = slice.HasColumn(D4rlKeys.Terminals) ? slice.Flags(D4rlKeys.Terminals) : new bool[t];
        if (t > 0)
            done[t - 1] = true;
        return new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(done.Select(f => f ? 1L : 0L).ToArray().AsSpan()).ToArray());
    }

    private static NdArray AtLeast2D(NdArray array) => array.Shape.Length == 1 ? new NdArray(array.DType, [array.Shape[0], 1], array.Data) : array;

    private static H5Dataset Dataset(NdArray array) => new(Hdf5Types.ToTypedArray(array), fileDims: array.Shape.Select(d => (ulong)d).ToArray());

    /// <summary>Row i + 1 for each row i, the last row repeated: next_obs within one demo (as robomimic's convert_d4rl.py does at a demo's end).</summary>
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
}
