using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;
using Robotics.Core.IO;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Minari's on-disk layout: a folder whose data/ holds metadata.json and main_data.hdf5 with one group
/// "episode_{id}" per episode: observations (T + 1 rows), actions, rewards, terminations, truncations
/// (T rows), infos/*, and attributes id, total_steps, seed.
/// Mapping to the flat layout: observations = rows 0..T-1, next_observations = rows 1..T,
/// terminals = terminations, timeouts = truncations, infos/episode_index = the episode id, and
/// metadata/minari = the metadata.json text. Per-step infos of T + 1 rows drop the reset row.
/// </summary>
public static class MinariDataset
{
    public const string DataFile = "main_data.hdf5";
    public const string MetadataFile = "metadata.json";
    public const string MetadataKey = "metadata/minari";

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

    public static FlatDataset Read(string path, CancellationToken cancellationToken = default)
    {
        string folder = ResolveDataFolder(path);
        string file = Path.Combine(folder, DataFile);
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        string metadataPath = Path.Combine(folder, MetadataFile);
        if (File.Exists(metadataPath))
        {
            string text = File.ReadAllText(metadataPath);
            try
            {
                JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(metadataPath, null, $"invalid JSON ({e.Message})", e);
            }

            metadata[MetadataKey] = MetadataValue.FromText(text);
        }

        PureHDF.VOL.Native.NativeFile h5;
        try
        {
            h5 = H5File.OpenRead(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DatasetFormatException(file, null, $"not a readable HDF5 file ({e.Message})", e);
        }

        using (h5)
        {
            var episodes = h5.Children().OfType<IH5Group>()
                .Where(g => g.Name.StartsWith("episode_", StringComparison.Ordinal))
                .Select(g => (Group: g, Id: long.TryParse(g.Name["episode_".Length..], out long id) ? id : throw new DatasetFormatException(file, g.Name, "episode group name is not episode_{integer}")))
                .OrderBy(e => e.Id)
                .ToList();
            if (episodes.Count == 0)
                throw new DatasetFormatException(file, null, "no episode_{id} groups");

            var parts = new Dictionary<string, List<NdArray>>(StringComparer.Ordinal);
            void Add(string key, NdArray array)
            {
                if (!parts.TryGetValue(key, out var list))
                    parts[key] = list = [];
                list.Add(array);
            }

            foreach (var (group, id) in episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string where = group.Name;
                NdArray Get(string key) => group.LinkExists(key)
                    ? Hdf5Types.ReadArray(group.Dataset(key), file, $"{where}/{key}")
                    : throw new DatasetFormatException(file, $"{where}/{key}", "required key is missing");
                var obs = Get("observations");
                var actions = Get("actions");
                int t = actions.Shape[0];
                if (obs.Shape[0] != t + 1)
                    throw new DatasetFormatException(file, $"{where}/observations", $"has {obs.Shape[0]} rows; Minari stores T + 1 = {t + 1} for {t} actions");
                var rewards = Get("rewards");
                var terminations = Get("terminations");
                var truncations = Get("truncations");
                foreach (var (key, array) in new[] { ("rewards", rewards), ("terminations", terminations), ("truncations", truncations) })
                {
                    if (array.Shape[0] != t)
                        throw new DatasetFormatException(file, $"{where}/{key}", $"has {array.Shape[0]} rows, expected {t}");
                }

                long? totalSteps = Hdf5Types.ReadLongAttribute(group, "total_steps");
                if (totalSteps is { } steps && steps != t)
                    throw new DatasetFormatException(file, where, $"attribute total_steps = {steps} but actions has {t} rows");

                Add(D4rlKeys.Observations, Rows(obs, 0, t));
                Add(D4rlKeys.NextObservations, Rows(obs, 1, t));
                Add(D4rlKeys.Actions, actions);
                Add(D4rlKeys.Rewards, rewards);
                Add(D4rlKeys.Terminals, ToBool(terminations));
                Add(D4rlKeys.Timeouts, ToBool(truncations));
                Add(D4rlKeys.EpisodeIndex, new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(Enumerable.Repeat(id, t).ToArray().AsSpan()).ToArray()));
                if (group.LinkExists("infos"))
                {
                    foreach (var (key, dataset) in Hdf5Types.Walk(group.Group("infos")))
                    {
                        if (Hdf5Types.ToDType(dataset.Type) is null or DType.String || dataset.Space.Dimensions.Length == 0)
                            continue;
                        var info = Hdf5Types.ReadArray(dataset, file, $"{where}/infos/{key}");
                        Add(D4rlKeys.InfosPrefix + key, info.Shape[0] == t + 1 ? Rows(info, 1, t) : info.Shape[0] == t ? info
                            : throw new DatasetFormatException(file, $"{where}/infos/{key}", $"has {info.Shape[0]} rows, expected {t} or {t + 1}"));
                    }
                }
            }

            var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (var (key, list) in parts)
            {
                if (list.Count != episodes.Count)
                    throw new DatasetFormatException(file, key, $"present in {list.Count} of {episodes.Count} episodes");
                columns[key] = Concat(list, file, key);
            }

            return new FlatDataset(columns, metadata);
        }
    }

    /// <summary>
    /// Writes <paramref name="dataset"/> as a Minari folder (data/main_data.hdf5 + data/metadata.json),
    /// atomically: the folder appears complete or not at all. The T + 1-th observation of each episode
    /// comes from next_observations when present, else it repeats the last observation (noted in
    /// metadata.json as "final_observation": "repeated").
    /// </summary>
    public static void Write(string folder, FlatDataset dataset, string datasetId = "robotics/converted/dataset-v0", Hdf5WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var episodes = dataset.Episodes();
        bool hasNext = dataset.HasColumn(D4rlKeys.NextObservations);
        var file = new H5File();
        var obsInfo = dataset.Info(D4rlKeys.Observations);
        var obs = dataset.Column(D4rlKeys.Observations);
        var next = hasNext ? dataset.Column(D4rlKeys.NextObservations) : null;
        foreach (var episode in episodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = dataset.Slice(episode.Start, episode.Length);
            int t = episode.Length;
            var observations = new byte[(long)(t + 1) * obsInfo.RowBytes];
            obs.Data.AsSpan(checked((int)(episode.Start * obsInfo.RowBytes)), t * obsInfo.RowBytes).CopyTo(observations);
            var last = next is not null
                ? next.Data.AsSpan(checked((int)((episode.End - 1) * obsInfo.RowBytes)), obsInfo.RowBytes)
                : obs.Data.AsSpan(checked((int)((episode.End - 1) * obsInfo.RowBytes)), obsInfo.RowBytes);
            last.CopyTo(observations.AsSpan(t * obsInfo.RowBytes));
            var group = new H5Group
            {
                ["observations"] = ArrayDataset(new NdArray(obsInfo.DType, [t + 1, .. obsInfo.RowShape], observations)),
                ["actions"] = ArrayDataset(slice.Column(D4rlKeys.Actions)),
                ["rewards"] = ArrayDataset(slice.Column(D4rlKeys.Rewards)),
                ["terminations"] = ArrayDataset(BoolArray(slice.Flags(D4rlKeys.Terminals))),
                ["truncations"] = ArrayDataset(BoolArray(slice.HasColumn(D4rlKeys.Timeouts) ? slice.Flags(D4rlKeys.Timeouts) : new bool[t])),
                Attributes = new() { ["id"] = (long)episode.Index, ["total_steps"] = (long)t, ["seed"] = -1L },
            };
            var infos = new H5Group();
            foreach (var (key, array) in slice.Columns.Where(c => c.Key.StartsWith(D4rlKeys.InfosPrefix, StringComparison.Ordinal) && c.Key != D4rlKeys.EpisodeIndex))
                Place(infos, key[D4rlKeys.InfosPrefix.Length..], ArrayDataset(array));
            if (infos.Count > 0)
                group["infos"] = infos;
            file[$"episode_{episode.Index}"] = group;
        }

        var meta = new JsonObject
        {
            ["dataset_id"] = datasetId,
            ["total_episodes"] = episodes.Count,
            ["total_steps"] = dataset.RowCount,
            ["data_format"] = "hdf5",
            ["observation_space"] = BoxSpace(obsInfo).ToJsonString(),
            ["action_space"] = BoxSpace(dataset.Info(D4rlKeys.Actions)).ToJsonString(),
            ["env_spec"] = null,
            ["final_observation"] = hasNext ? "next_observations" : "repeated",
            ["author"] = "robotics dataset convert",
        };
        AtomicFolder.Write(folder, temp =>
        {
            string data = Path.Combine(temp, "data");
            Directory.CreateDirectory(data);
            file.Write(Path.Combine(data, DataFile));
            File.WriteAllText(Path.Combine(data, MetadataFile), meta.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        });
    }

    private static JsonObject BoxSpace(ColumnInfo info) => new()
    {
        ["type"] = "Box",
        ["dtype"] = info.DType.ToNumpy(),
        ["shape"] = new JsonArray(info.RowShape.Select(d => (JsonNode)d).ToArray()),
    };

    private static H5Dataset ArrayDataset(NdArray array) =>
        new(Hdf5Types.ToTypedArray(array), fileDims: array.Shape.Select(d => (ulong)d).ToArray());

    private static NdArray BoolArray(bool[] flags) => new(DType.Bool, [flags.Length], flags.Select(f => f ? (byte)1 : (byte)0).ToArray());

    private static NdArray ToBool(NdArray array) => BoolArray(FlagReader.ToFlags(array, "flags"));

    internal static NdArray Rows(NdArray array, int start, int count)
    {
        int rowBytes = array.Shape[0] == 0 ? 0 : array.Data.Length / array.Shape[0];
        return new NdArray(array.DType, [count, .. array.Shape[1..]], array.Data.AsSpan(start * rowBytes, count * rowBytes).ToArray());
    }

    internal static NdArray Concat(IReadOnlyList<NdArray> parts, string origin, string key)
    {
        var first = parts[0];
        foreach (var part in parts)
        {
            if (part.DType != first.DType || !part.Shape[1..].SequenceEqual(first.Shape[1..]))
                throw new DatasetFormatException(origin, key, $"episodes disagree: {first} vs {part}");
        }

        var data = new byte[parts.Sum(p => (long)p.Data.Length)];
        long offset = 0;
        foreach (var part in parts)
        {
            part.Data.CopyTo(data, offset);
            offset += part.Data.Length;
        }

        return new NdArray(first.DType, [parts.Sum(p => p.Shape[0]), .. first.Shape[1..]], data);
    }

    private static void Place(H5Group root, string key, object item)
    {
        string[] parts = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var group = root;
        foreach (string part in parts[..^1])
        {
            if (!group.TryGetValue(part, out var child))
                group[part] = child = new H5Group();
            group = (H5Group)child;
        }

        group[parts[^1]] = item;
    }
}
