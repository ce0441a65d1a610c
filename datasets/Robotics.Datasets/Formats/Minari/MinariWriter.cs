using System.Globalization;
using System.Text.Json.Nodes;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
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

    public static string Write(string root, FlatDataset dataset, MinariDatasetId id, MinariWriteOptions options, CancellationToken cancellationToken)
    {
        string folder = id.FolderUnder(root);
        string origin = Path.Combine(folder, "data", MinariDataset.DataFile);
        var source = SourceMetadata(dataset);
        var episodes = dataset.Episodes();
        if (episodes.Count == 0)
            throw new DatasetFormatException(origin, null, "the dataset has no episodes");
        foreach (string key in new[] { D4rlKeys.Rewards, D4rlKeys.Terminals })
        {
            if (!dataset.HasColumn(key))
                throw new DatasetFormatException(origin, key, $"required key is missing: every Minari episode stores {(key == D4rlKeys.Rewards ? "rewards" : "terminations")}");
        }

        var observations = MinariLayout.Of(dataset, D4rlKeys.Observations, D4rlKeys.NextObservations, MinariKeys.ObservationPrefix, MinariKeys.NextObservationPrefix, Text(source, "observation_space"), origin);
        var actions = MinariLayout.Of(dataset, D4rlKeys.Actions, null, MinariKeys.ActionPrefix, null, Text(source, "action_space"), origin);
        var written = new HashSet<string>(StringComparer.Ordinal) { D4rlKeys.Rewards, D4rlKeys.Terminals, D4rlKeys.Timeouts, D4rlKeys.EpisodeIndex };
        foreach (var leaf in observations.Leaves.Concat(actions.Leaves))
        {
            written.Add(leaf.Key);
            if (leaf.NextKey is not null)
                written.Add(leaf.NextKey);
        }

        var infoColumns = dataset.Columns.Keys.Where(k => k.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && k != D4rlKeys.EpisodeIndex).Order(StringComparer.Ordinal).ToArray();
        var infoStrings = dataset.Metadata.Where(m => m.Key.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && m.Value.IsText && !m.Value.IsScalar && m.Value.Strings!.Count == dataset.RowCount)
            .Select(m => m.Key).Order(StringComparer.Ordinal).ToArray();
        written.UnionWith(infoColumns);
        // Derived columns (the flattened observations / actions of a nested space) are not data of their own.
        if (observations.Nested)
            written.UnionWith([D4rlKeys.Observations, D4rlKeys.NextObservations]);
        if (actions.Nested)
            written.Add(D4rlKeys.Actions);
        var notWritten = dataset.Columns.Keys.Where(k => !written.Contains(k)).Order(StringComparer.Ordinal).ToArray();

        var sourceIds = dataset.Metadata.TryGetValue(MinariKeys.EpisodeIds, out var ids) && ids.Array is { DType: DType.Int64 } idArray ? idArray.AsSpan<long>().ToArray() : null;
        var seeds = dataset.Metadata.TryGetValue(MinariKeys.EpisodeSeeds, out var s) && s.IsText && sourceIds is not null && s.Strings!.Count == sourceIds.Length ? s.Strings : null;
        long[]? episodeIndex = dataset.HasColumn(D4rlKeys.EpisodeIndex) && dataset.Column(D4rlKeys.EpisodeIndex).DType == DType.Int64 ? dataset.Column(D4rlKeys.EpisodeIndex).AsSpan<long>().ToArray() : null;

        bool[] terminals = dataset.Flags(D4rlKeys.Terminals);
        bool[] timeouts = dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.Flags(D4rlKeys.Timeouts) : new bool[dataset.RowCount];
        bool resetRepeated = false;
        int seedsWritten = 0;
        var file = new H5File();
        for (int e = 0; e < episodes.Count; e++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var episode = episodes[e];
            int t = checked((int)episode.Length);
            long start = episode.Start;
            // The episode this one was read as (Minari source), to find its seed and reset infos.
            int sourceIndex = sourceIds is not null && episodeIndex is not null ? System.Array.IndexOf(sourceIds, episodeIndex[start]) : -1;

            var group = new H5Group
            {
                ["observations"] = WriteSpace(observations, dataset, start, t, t + 1, options),
                ["actions"] = WriteSpace(actions, dataset, start, t, t, options),
                ["rewards"] = Dataset(RowsOf(dataset.Column(D4rlKeys.Rewards), start, t)),
                ["terminations"] = Dataset(MinariReader.BoolArray(terminals.AsSpan(checked((int)start), t).ToArray())),
                ["truncations"] = Dataset(MinariReader.BoolArray(timeouts.AsSpan(checked((int)start), t).ToArray())),
            };
            group.Attributes = new() { ["id"] = (long)e, ["total_steps"] = (long)t };
            if (sourceIndex >= 0 && seeds is not null && seeds[sourceIndex].Length > 0)
            {
                // h5py stores a Python int as int64, or as uint64 above 2^63 - 1 (64-bit autoseeds).
                group.Attributes["seed"] = long.TryParse(seeds[sourceIndex], NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed) ? seed
                    : (object)ulong.Parse(seeds[sourceIndex], CultureInfo.InvariantCulture);
                seedsWritten++;
            }

            var infos = new H5Group();
            foreach (string key in infoColumns)
            {
                string path = key[D4rlKeys.InfosPrefix.Length..];
                var steps = RowsOf(dataset.Column(key), start, t);
                var reset = ResetRow(dataset, path, sourceIndex, steps);
                resetRepeated |= reset is null;
                Place(infos, path, Dataset(RowConcat.Concat([reset ?? MinariReader.Rows(steps, 0, 1), steps], origin, key)));
            }

            foreach (string key in infoStrings)
            {
                string path = key[D4rlKeys.InfosPrefix.Length..];
                var steps = Slice(dataset.Metadata[key].Strings!, start, t);
                string? reset = sourceIndex >= 0 && dataset.Metadata.TryGetValue(MinariKeys.ResetInfosPrefix + path, out var r) && r.IsText && r.Strings!.Count > sourceIndex ? r.Strings[sourceIndex] : null;
                resetRepeated |= reset is null;
                Place(infos, path, new H5Dataset((string[])[reset ?? steps[0], .. steps]));
            }

            if (infos.Count > 0)
                group["infos"] = infos;
            file[$"episode_{e}"] = group;
        }

        var meta = Metadata(dataset, source, id, episodes.Count, observations, actions, options, notWritten, resetRepeated);
        AtomicFolder.Write(folder, temp =>
        {
            string data = Path.Combine(temp, "data");
            Directory.CreateDirectory(data);
            string h5 = Path.Combine(data, MinariDataset.DataFile);
            file.Write(h5);
            // minari_storage.get_size: the data folder's size in MB, one decimal.
            meta["dataset_size"] = Math.Round(new FileInfo(h5).Length / 1e6, 1);
            File.WriteAllText(Path.Combine(data, MinariDataset.MetadataFile), PythonJson.ToText(meta, indented: true));
        });
        return folder;
    }

    private static JsonObject? SourceMetadata(FlatDataset dataset)
    {
        if (!dataset.Metadata.TryGetValue(MinariKeys.Metadata, out var value) || !value.IsText || !value.IsScalar)
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

    private static JsonObject Metadata(FlatDataset dataset, JsonObject? source, MinariDatasetId id, int episodes, MinariLayout observations, MinariLayout actions,
        MinariWriteOptions options, string[] notWritten, bool resetRepeated)
    {
        string[] ours = ["dataset_id", "total_episodes", "total_steps", "data_format", "observation_space", "action_space", "env_spec", "minari_version", "jpeg_encoding",
            "author", "author_email", "algorithm_name", "description", "dataset_size", "final_observation", "reset_infos", "columns_not_written"];
        var meta = new JsonObject
        {
            ["dataset_id"] = id.ToString(),
            ["total_episodes"] = episodes,
            ["total_steps"] = dataset.RowCount,
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
    private static NdArray? ResetRow(FlatDataset dataset, string path, int sourceIndex, NdArray steps)
    {
        if (sourceIndex < 0 || !dataset.Metadata.TryGetValue(MinariKeys.ResetInfosPrefix + path, out var value) || value.Array is not { } rows)
            return null;
        if (rows.DType != steps.DType || rows.Shape.Length == 0 || rows.Shape[0] <= sourceIndex || !rows.Shape[1..].SequenceEqual(steps.Shape[1..]))
            return null;
        return MinariReader.Rows(rows, sourceIndex, 1);
    }

    /// <summary>Observations (T + 1 rows: the T-th from the next key, else the last row repeated) or actions (T rows) of one episode.</summary>
    private static object WriteSpace(MinariLayout layout, FlatDataset dataset, long start, int t, int rows, MinariWriteOptions options)
    {
        var images = options.JpegImages
            ? layout.Space.Leaves().Where(l => l.Space is BoxSpace { IsImage: true }).Select(l => l.Path).ToHashSet(StringComparer.Ordinal)
            : [];
        object LeafData(MinariLeafSource leaf)
        {
            if (leaf.IsText)
            {
                var all = dataset.Metadata[leaf.Key].Strings!;
                var values = Slice(all, start, t).ToList();
                if (rows == t + 1)
                    values.Add(leaf.NextKey is not null ? dataset.Metadata[leaf.NextKey].Strings![checked((int)(start + t - 1))] : values[^1]);
                return new H5Dataset(values.ToArray());
            }

            var steps = RowsOf(dataset.Column(leaf.Key), start, t);
            if (rows == t)
                return images.Contains(leaf.Path) ? JpegDataset(steps, options.JpegQuality) : Dataset(steps);
            var last = leaf.NextKey is not null ? RowsOf(dataset.Column(leaf.NextKey), start + t - 1, 1) : MinariReader.Rows(steps, t - 1, 1);
            var withLast = RowConcat.Concat([steps, last], leaf.Key, leaf.Key);
            return images.Contains(leaf.Path) ? JpegDataset(withLast, options.JpegQuality) : Dataset(withLast);
        }

        if (!layout.Nested)
            return LeafData(layout.Leaves[0]);
        var group = new H5Group();
        foreach (var leaf in layout.Leaves)
            Place(group, leaf.Path, LeafData(leaf));
        return group;
    }

    /// <summary>
    /// One JPEG per row, stored as minari's writer stores it: a variable-length uint8 dataset, or a
    /// plain (rows, length) uint8 array when every frame has the same length (h5py's choice).
    /// </summary>
    private static H5Dataset JpegDataset(NdArray frames, int quality)
    {
        int rows = frames.Shape[0];
        int height = frames.Shape[1], width = frames.Shape[2], channels = frames.Shape.Length == 4 ? frames.Shape[3] : 1;
        int frameBytes = height * width * channels;
        var encoded = new byte[rows][];
        for (int r = 0; r < rows; r++)
            encoded[r] = MinariJpeg.Encode(frames.Data.AsSpan(r * frameBytes, frameBytes), height, width, channels, quality);
        if (rows > 0 && encoded.All(e => e.Length == encoded[0].Length))
            return new H5Dataset(encoded.SelectMany(e => e).ToArray(), fileDims: [(ulong)rows, (ulong)encoded[0].Length]);
        return new H5Dataset(encoded, fileDims: [(ulong)rows]);
    }

    private static string[] Slice(IReadOnlyList<string> values, long start, int count)
    {
        var slice = new string[count];
        for (int i = 0; i < count; i++)
            slice[i] = values[checked((int)(start + i))];
        return slice;
    }

    private static NdArray RowsOf(NdArray column, long start, int count)
    {
        int rowBytes = column.Shape[0] == 0 ? 0 : column.Data.Length / column.Shape[0];
        return new NdArray(column.DType, [count, .. column.Shape[1..]], column.Data.AsSpan(checked((int)(start * rowBytes)), count * rowBytes).ToArray());
    }

    private static H5Dataset Dataset(NdArray array) => new(Hdf5Types.ToTypedArray(array), fileDims: array.Shape.Select(d => (ulong)d).ToArray());

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
