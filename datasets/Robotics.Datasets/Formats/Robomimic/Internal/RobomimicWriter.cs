using System.Runtime.InteropServices;
using PureHDF;
using Robotics.Core.IO;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic.Internal;

/// <summary>Writes the flat layout as robomimic HDF5; the mapping is documented on <see cref="RobomimicDataset.Write"/>.</summary>
internal static class RobomimicWriter
{
    /// <summary>What fills one deferred dataset of one demo: a source column's rows of the demo, possibly transformed.</summary>
    private enum Fill
    {
        Rows,
        NextRows,
        DonesFromTerminals,
    }

    private sealed record Planned(H5Dataset Dataset, string Key, Fill Fill, IReadOnlyList<int> RowShape);

    /// <summary>
    /// One demo at a time: every demo's datasets are declared (shapes only) before the file is begun, then each demo's
    /// rows are read from the source, written and dropped, so memory is one demo's column, not the corpus. Everything
    /// else (episode list, names, masks, attributes) comes from the flag/index columns and the metadata.
    /// </summary>
    public static void Write(string path, ITrajectorySource source, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var metadata = source.MetadataKeys.Select(k => (Key: k, Value: source.Metadata(k)))
            .Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!, StringComparer.Ordinal);
        var episodes = source.Episodes();
        var naming = DemoNaming.For(episodes);
        var data = new H5Group();
        var keys = source.Columns.Select(c => c.Key).ToList();
        var obsColumns = keys.Where(k => k.StartsWith(RobomimicKeys.ObsPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var actionDict = keys.Where(k => k.StartsWith(RobomimicKeys.ActionDictPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var episodeAttrs = EpisodeAttributes(metadata);
        var plans = new List<Planned>[episodes.Count];
        for (int e = 0; e < episodes.Count; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episode = episodes[e];
            int t = episode.Length;
            var plan = plans[e] = [];
            H5Dataset Declare(string key, Fill fill = Fill.Rows, bool atLeast2D = false)
            {
                var info = fill == Fill.DonesFromTerminals ? new ColumnInfo(key, DType.Int64, []) : source.Column(key);
                // robomimic's get_shape_metadata_from_dataset asserts every action key is (N, D).
                IReadOnlyList<int> shape = atLeast2D && info.RowShape.Count == 0 ? [1] : info.RowShape;
                var dataset = DeferredDatasets.Create(info.DType, t, shape, key);
                plan.Add(new Planned(dataset, key, fill, shape));
                return dataset;
            }

            var demo = new H5Group
            {
                ["actions"] = Declare(D4rlKeys.Actions, atLeast2D: true),
                ["rewards"] = Declare(D4rlKeys.Rewards),
                ["dones"] = source.HasColumn(RobomimicKeys.Dones) ? Declare(RobomimicKeys.Dones) : Declare(D4rlKeys.Terminals, Fill.DonesFromTerminals),
            };
            var demoAttributes = new Dictionary<string, object>(StringComparer.Ordinal);
            if (source.HasColumn(RobomimicKeys.States))
                demo["states"] = Declare(RobomimicKeys.States);
            if (source.HasColumn(RobomimicKeys.ActionsAbs))
                demo[RobomimicKeys.ActionsAbs] = Declare(RobomimicKeys.ActionsAbs, atLeast2D: true);
            if (actionDict.Count > 0)
            {
                var group = new H5Group();
                foreach (string key in actionDict)
                    D4rlHdf5Writer.Place(group, key[RobomimicKeys.ActionDictPrefix.Length..], Declare(key, atLeast2D: true));
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
                    D4rlHdf5Writer.Place(obs, name, Declare(key));
                    D4rlHdf5Writer.Place(next, name, source.HasColumn(nextKey) ? Declare(nextKey) : Declare(key, Fill.NextRows));
                }
            }
            else
            {
                obs["state"] = Declare(D4rlKeys.Observations);
                next["state"] = source.HasColumn(D4rlKeys.NextObservations) ? Declare(D4rlKeys.NextObservations) : Declare(D4rlKeys.Observations, Fill.NextRows);
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
        foreach (var (key, value) in metadata.Where(m => m.Key.StartsWith(RobomimicKeys.DataAttrsPrefix, StringComparison.Ordinal)))
        {
            if (AttributeValue(value) is { } attribute)
                dataAttributes[key[RobomimicKeys.DataAttrsPrefix.Length..]] = attribute;
        }

        dataAttributes["total"] = source.RowCount;
        dataAttributes["env_args"] = EnvArgs.Complete(metadata);
        data.Attributes = dataAttributes;

        var file = new H5File { ["data"] = data };
        var mask = new H5Group();
        int masks = 0;
        foreach (var (key, value) in metadata.Where(m => m.Key.StartsWith(RobomimicKeys.MaskPrefix, StringComparison.Ordinal) && m.Value.IsText).OrderBy(m => m.Key, StringComparer.Ordinal))
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
        var others = metadata.Where(m => !IsRobomimicMetadata(m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        foreach (var (key, value) in others)
            D4rlHdf5Writer.Place(rest, key[D4rlKeys.MetadataPrefix.Length..], D4rlHdf5Writer.MetadataDataset(value));
        if (others.Count > 0)
            file["metadata"] = rest;

        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.Write(path, temp =>
        {
            using var writer = file.BeginWrite(temp);
            for (int e = 0; e < episodes.Count; e++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var episode = episodes[e];
                foreach (var planned in plans[e])
                    DeferredDatasets.WriteRows(writer, planned.Dataset, planned.RowShape, 0, episode.Length, Rows(source, planned, episode), $"{naming.Names[e]}/{planned.Key}");
                progress?.Report(new ProgressUpdate("write", episode.End, source.RowCount, naming.Names[e]));
            }
        });
    }

    /// <summary>The bytes one planned dataset holds for one demo: the column's rows, shifted by one, or dones made from terminals.</summary>
    private static byte[] Rows(ITrajectorySource source, Planned planned, EpisodeRange episode)
    {
        if (planned.Fill == Fill.DonesFromTerminals)
            return DonesFromTerminals(source, episode);
        var info = source.Column(planned.Key);
        var rows = new byte[(long)episode.Length * info.RowBytes];
        source.ReadRows(planned.Key, episode.Start, episode.Length, rows);
        return planned.Fill == Fill.NextRows ? Shifted(rows, episode.Length) : rows;
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
    private static byte[] DonesFromTerminals(ITrajectorySource source, EpisodeRange episode)
    {
        int t = episode.Length;
        var done = new long[t];
        if (source.HasColumn(D4rlKeys.Terminals))
        {
            var info = source.Column(D4rlKeys.Terminals);
            var raw = new byte[(long)t * info.RowBytes];
            source.ReadRows(D4rlKeys.Terminals, episode.Start, t, raw);
            var flags = FlagReader.ToFlags(info.DType, raw, D4rlKeys.Terminals);
            for (int i = 0; i < t; i++)
                done[i] = flags[i] ? 1 : 0;
        }

        if (t > 0)
            done[t - 1] = 1;
        return MemoryMarshal.AsBytes(done.AsSpan()).ToArray();
    }

    /// <summary>Row i + 1 for each row i, the last row repeated: next_obs within one demo (as robomimic's convert_d4rl.py does at a demo's end).</summary>
    private static byte[] Shifted(byte[] rows, int t)
    {
        int rowBytes = t == 0 ? 0 : rows.Length / t;
        var data = new byte[rows.Length];
        if (t > 0)
        {
            rows.AsSpan(rowBytes).CopyTo(data);
            rows.AsSpan((t - 1) * rowBytes, rowBytes).CopyTo(data.AsSpan((t - 1) * rowBytes));
        }

        return data;
    }
}
