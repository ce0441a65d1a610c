using System.Globalization;
using System.Text.Json.Nodes;
using PureHDF;
using PureHDF.VOL.Native;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Writes a Minari HDF5 dataset as minari 0.5.3's create_dataset_from_buffers lays it out:
/// &lt;root&gt;/&lt;dataset_id&gt;/data/{main_data.hdf5, metadata.json}; episode_{i} groups numbered
/// 0..E-1 (upstream reads range(total_episodes)) with attributes id, total_steps and seed (only when
/// recorded: upstream writes none for an unknown seed); observations T + 1 rows, nested as groups for
/// Dict / Tuple spaces; actions, rewards, terminations, truncations T rows; infos T + 1 rows (reset row
/// first); metadata.json with serialised spaces (Box with low/high), minari_version, author lists and
/// jpeg_encoding: false (images stored as raw uint8 rows; <see cref="MinariWriteOptions.JpegImages"/>
/// JPEG-encodes image spaces as 0.5.3 does, for readers of that version).
/// </summary>
internal static class MinariWriter
{
    /// <summary>The upstream version whose layout this writer follows.</summary>
    public const string MinariVersion = "0.5.3";

    /// <summary>
    /// One episode at a time: every episode's group is declared first (shapes from the column infos, PureHDF deferred
    /// datasets; text leaves and string infos come from the metadata, which is in memory anyway), then each episode's
    /// rows are read from the source, written and dropped, so memory is one episode's column, not the corpus.
    /// </summary>
    public static string Write(string root, ITrajectorySource dataset, MinariDatasetId id, MinariWriteOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        string folder = id.FolderUnder(root);
        string origin = Path.Combine(folder, "data", MinariDataset.DataFile);
        var metadata = dataset.MetadataKeys.Select(k => (Key: k, Value: dataset.Metadata(k)))
            .Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value!, StringComparer.Ordinal);
        var source = SourceMetadata(metadata);
        var episodes = dataset.Episodes();
        if (episodes.Count == 0)
            throw new DatasetFormatException(origin, null, "the dataset has no episodes");
        foreach (string key in new[] { D4rlKeys.Rewards, D4rlKeys.Terminals })
        {
            if (!dataset.HasColumn(key))
                throw new DatasetFormatException(origin, key, $"required key is missing: every Minari episode stores {(key == D4rlKeys.Rewards ? "rewards" : "terminations")}");
        }

        var observations = MinariLayout.Of(dataset, metadata, D4rlKeys.Observations, D4rlKeys.NextObservations, MinariKeys.ObservationPrefix, MinariKeys.NextObservationPrefix, Text(source, "observation_space"), origin);
        var actions = MinariLayout.Of(dataset, metadata, D4rlKeys.Actions, null, MinariKeys.ActionPrefix, null, Text(source, "action_space"), origin);
        var written = new HashSet<string>(StringComparer.Ordinal) { D4rlKeys.Rewards, D4rlKeys.Terminals, D4rlKeys.Timeouts, D4rlKeys.EpisodeIndex };
        foreach (var leaf in observations.Leaves.Concat(actions.Leaves))
        {
            written.Add(leaf.Key);
            if (leaf.NextKey is not null)
                written.Add(leaf.NextKey);
        }

        var infoColumns = dataset.Columns.Select(c => c.Key).Where(k => k.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && k != D4rlKeys.EpisodeIndex).Order(StringComparer.Ordinal).ToArray();
        var infoStrings = metadata.Where(m => m.Key.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && m.Value.IsText && !m.Value.IsScalar && m.Value.Strings!.Count == dataset.RowCount)
            .Select(m => m.Key).Order(StringComparer.Ordinal).ToArray();
        written.UnionWith(infoColumns);
        // Derived columns (the flattened observations / actions of a nested space) are not data of their own.
        if (observations.Nested)
            written.UnionWith([D4rlKeys.Observations, D4rlKeys.NextObservations]);
        if (actions.Nested)
            written.Add(D4rlKeys.Actions);
        var notWritten = dataset.Columns.Select(c => c.Key).Where(k => !written.Contains(k)).Order(StringComparer.Ordinal).ToArray();

        var sourceIds = metadata.TryGetValue(MinariKeys.EpisodeIds, out var ids) && ids.Array is { DType: DType.Int64 } idArray ? idArray.AsSpan<long>().ToArray() : null;
        var seeds = metadata.TryGetValue(MinariKeys.EpisodeSeeds, out var s) && s.IsText && sourceIds is not null && s.Strings!.Count == sourceIds.Length ? s.Strings : null;
        bool hasInt64Index = dataset.HasColumn(D4rlKeys.EpisodeIndex) && dataset.Column(D4rlKeys.EpisodeIndex).DType == DType.Int64;

        var data = new MinariEpisodeData(dataset, options);
        bool resetRepeated = false;
        var file = new H5File();
        var fills = new List<Action<H5NativeWriter>>[episodes.Count];
        for (int e = 0; e < episodes.Count; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episode = episodes[e];
            int t = checked((int)episode.Length);
            long start = episode.Start;
            var fill = fills[e] = [];
            // The episode this one was read as (Minari source), to find its seed and reset infos.
            int sourceIndex = sourceIds is not null && hasInt64Index ? System.Array.IndexOf(sourceIds, EpisodeIndexAt(dataset, start)) : -1;

            var group = new H5Group
            {
                ["observations"] = WriteSpace(observations, metadata, data, fill, start, t, t + 1, options),
                ["actions"] = WriteSpace(actions, metadata, data, fill, start, t, t, options),
                ["rewards"] = data.Declare(fill, D4rlKeys.Rewards, t, () => data.Rows(D4rlKeys.Rewards, start, t)),
                ["terminations"] = data.DeclareFlags(fill, D4rlKeys.Terminals, start, t),
                ["truncations"] = data.DeclareFlags(fill, D4rlKeys.Timeouts, start, t),
            };
            group.Attributes = new() { ["id"] = (long)e, ["total_steps"] = (long)t };
            if (sourceIndex >= 0 && seeds is not null && seeds[sourceIndex].Length > 0)
            {
                // h5py stores a Python int as int64, or as uint64 above 2^63 - 1 (64-bit autoseeds).
                group.Attributes["seed"] = long.TryParse(seeds[sourceIndex], NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed) ? seed
                    : (object)ulong.Parse(seeds[sourceIndex], CultureInfo.InvariantCulture);
            }

            var infos = new H5Group();
            foreach (string key in infoColumns)
            {
                string path = key[D4rlKeys.InfosPrefix.Length..];
                var reset = ResetRow(metadata, path, sourceIndex, dataset.Column(key));
                resetRepeated |= reset is null;
                Place(infos, path, data.Declare(fill, key, t + 1, () =>
                {
                    var steps = data.Rows(key, start, t);
                    return RowConcat.Concat([reset ?? MinariReader.Rows(steps, 0, 1), steps], origin, key);
                }));
            }

            foreach (string key in infoStrings)
            {
                string path = key[D4rlKeys.InfosPrefix.Length..];
                var steps = Slice(metadata[key].Strings!, start, t);
                string? reset = sourceIndex >= 0 && metadata.TryGetValue(MinariKeys.ResetInfosPrefix + path, out var r) && r.IsText && r.Strings!.Count > sourceIndex ? r.Strings[sourceIndex] : null;
                resetRepeated |= reset is null;
                Place(infos, path, new H5Dataset((string[])[reset ?? steps[0], .. steps]));
            }

            if (infos.Count > 0)
                group["infos"] = infos;
            file[$"episode_{e}"] = group;
        }

        var meta = Metadata(dataset.RowCount, source, id, episodes.Count, observations, actions, options, notWritten, resetRepeated);
        AtomicFolder.Write(folder, temp =>
        {
            string dataFolder = Path.Combine(temp, "data");
            Directory.CreateDirectory(dataFolder);
            string h5 = Path.Combine(dataFolder, MinariDataset.DataFile);
            using (var writer = file.BeginWrite(h5))
            {
                for (int e = 0; e < episodes.Count; e++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var fill in fills[e])
                        fill(writer);
                    fills[e] = []; // PureHDF keeps the declared datasets; this episode's readers are done
                    progress?.Report(new ProgressUpdate("write", episodes[e].End, dataset.RowCount, $"episode_{e}"));
                }
            }

            // minari_storage.get_size: the data folder's size in MB, one decimal.
            meta["dataset_size"] = Math.Round(new FileInfo(h5).Length / 1e6, 1);
            File.WriteAllText(Path.Combine(dataFolder, MinariDataset.MetadataFile), PythonJson.ToText(meta, indented: true));
        });
        return folder;
    }

    /// <summary>infos/episode_index at one row (int64), to find the source episode an episode was read as.</summary>
    private static long EpisodeIndexAt(ITrajectorySource dataset, long row)
    {
        Span<byte> value = stackalloc byte[sizeof(long)];
        dataset.ReadRows(D4rlKeys.EpisodeIndex, row, 1, value);
        return BitConverter.ToInt64(value);
    }

    private static JsonObject? SourceMetadata(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        if (!metadata.TryGetValue(MinariKeys.Metadata, out var value) || !value.IsText || !value.IsScalar)
            return null;
        try
        {
            return PythonJson.Parse(value.Text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject? source, string key) => source?[key] is JsonValue v && v.TryGetValue(out string? text) ? text : null;

    private static JsonObject Metadata(long rowCount, JsonObject? source, MinariDatasetId id, int episodes, MinariLayout observations, MinariLayout actions,
        MinariWriteOptions options, string[] notWritten, bool resetRepeated)
    {
        string[] ours = ["dataset_id", "total_episodes", "total_steps", "data_format", "observation_space", "action_space", "env_spec", "minari_version", "jpeg_encoding",
            "author", "author_email", "algorithm_name", "description", "dataset_size", "final_observation", "reset_infos", "columns_not_written"];
        var meta = new JsonObject
        {
            ["dataset_id"] = id.ToString(),
            ["total_episodes"] = episodes,
            ["total_steps"] = rowCount,
            ["data_format"] = "hdf5",
            ["observation_space"] = observations.SpaceJson,
            ["action_space"] = actions.SpaceJson,
            ["env_spec"] = source?["env_spec"]?.DeepClone(),
            ["minari_version"] = MinariVersion,
            ["jpeg_encoding"] = options.JpegImages,
            ["author"] = List(options.Authors ?? Strings(source?["author"]) ?? ["robotics dataset convert"]),
        };
        if ((options.AuthorEmails ?? Strings(source?["author_email"])) is { } emails)
            meta["author_email"] = List(emails);
        if ((options.AlgorithmName ?? Text(source, "algorithm_name")) is { } algorithm)
            meta["algorithm_name"] = algorithm;
        if ((options.Description ?? Text(source, "description")) is { } description)
            meta["description"] = description;
        // Everything else the source recorded (ref scores, eval_env_spec, requirements, ...) is carried over.
        if (source is not null)
        {
            foreach (var (key, value) in source)
            {
                if (!ours.Contains(key))
                    meta[key] = value?.DeepClone();
            }
        }

        bool hasNext = observations.Leaves.All(l => l.NextKey is not null);
        meta["final_observation"] = hasNext ? "next_observations" : "repeated";
        if (resetRepeated)
            meta["reset_infos"] = "repeated: the reset info (row 0 of T + 1) was not recorded, so the first step's info is repeated";
        if (notWritten.Length > 0)
            meta["columns_not_written"] = List(notWritten);
        return meta;
    }

    private static IReadOnlyList<string>? Strings(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(x => x?.ToString() ?? "").ToArray(),
        JsonValue v when v.TryGetValue(out string? s) => [s],
        _ => null,
    };

    private static JsonArray List(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    /// <summary>The reset row of info <paramref name="path"/> for the source episode, when it was kept and has the step rows' type.</summary>
    private static NdArray? ResetRow(IReadOnlyDictionary<string, MetadataValue> metadata, string path, int sourceIndex, ColumnInfo steps)
    {
        if (sourceIndex < 0 || !metadata.TryGetValue(MinariKeys.ResetInfosPrefix + path, out var value) || value.Array is not { } rows)
            return null;
        if (rows.DType != steps.DType || rows.Shape.Length == 0 || rows.Shape[0] <= sourceIndex || !rows.Shape[1..].SequenceEqual(steps.RowShape))
            return null;
        return MinariReader.Rows(rows, sourceIndex, 1);
    }

    /// <summary>Observations (T + 1 rows: the T-th from the next key, else the last row repeated) or actions (T rows) of one episode.</summary>
    private static object WriteSpace(MinariLayout layout, IReadOnlyDictionary<string, MetadataValue> metadata, MinariEpisodeData data, List<Action<H5NativeWriter>> fill,
        long start, int t, int rows, MinariWriteOptions options)
    {
        var images = options.JpegImages
            ? layout.Space.Leaves().Where(l => l.Space is BoxSpace { IsImage: true }).Select(l => l.Path).ToHashSet(StringComparer.Ordinal)
            : [];
        object LeafData(MinariLeafSource leaf)
        {
            if (leaf.IsText)
            {
                var all = metadata[leaf.Key].Strings!;
                var values = Slice(all, start, t).ToList();
                if (rows == t + 1)
                    values.Add(leaf.NextKey is not null ? metadata[leaf.NextKey].Strings![checked((int)(start + t - 1))] : values[^1]);
                return new H5Dataset(values.ToArray());
            }

            NdArray Rows()
            {
                var steps = data.Rows(leaf.Key, start, t);
                if (rows == t)
                    return steps;
                var last = leaf.NextKey is not null ? data.Rows(leaf.NextKey, start + t - 1, 1) : MinariReader.Rows(steps, t - 1, 1);
                return RowConcat.Concat([steps, last], leaf.Key, leaf.Key);
            }

            return images.Contains(leaf.Path) ? data.DeclareJpeg(fill, leaf.Key, Rows) : data.Declare(fill, leaf.Key, rows, Rows);
        }

        if (!layout.Nested)
            return LeafData(layout.Leaves[0]);
        var group = new H5Group();
        foreach (var leaf in layout.Leaves)
            Place(group, leaf.Path, LeafData(leaf));
        return group;
    }

    private static string[] Slice(IReadOnlyList<string> values, long start, int count)
    {
        var slice = new string[count];
        for (int i = 0; i < count; i++)
            slice[i] = values[checked((int)(start + i))];
        return slice;
    }

    private static void Place(H5Group root, string key, object item)
    {
        string[] parts = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var group = root;
        foreach (string part in parts[..^1])
        {
            if (!group.TryGetValue(part, out var child))
                group[part] = child = new H5Group();
            group = child as H5Group ?? throw new ArgumentException($"'{key}' needs '{part}' to be a group, but a dataset has that name.");
        }

        group[parts[^1]] = item;
    }
}
