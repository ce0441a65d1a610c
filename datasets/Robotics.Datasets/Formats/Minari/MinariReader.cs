using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Reads a Minari HDF5 dataset (minari/dataset/_storages/hdf5_storage.py, 0.5.3) into the flat layout;
/// the mapping is described on <see cref="MinariDataset"/> and <see cref="MinariKeys"/>.
/// </summary>
internal static class MinariReader
{
    public static FlatDataset Read(string path, CancellationToken cancellationToken)
    {
        string folder = MinariDataset.ResolveDataFolder(path);
        string file = Path.Combine(folder, MinariDataset.DataFile);
        string metadataPath = Path.Combine(folder, MinariDataset.MetadataFile);
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        JsonObject? meta = null;
        if (File.Exists(metadataPath))
        {
            string text = File.ReadAllText(metadataPath);
            try
            {
                meta = PythonJson.Parse(text) as JsonObject ?? throw new DatasetFormatException(metadataPath, null, "metadata.json is not a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new DatasetFormatException(metadataPath, null, $"invalid JSON ({e.Message})", e);
            }

            metadata[MinariKeys.Metadata] = MetadataValue.FromText(text);
        }

        var observationSpace = SpaceOf(meta, "observation_space", metadataPath);
        var actionSpace = SpaceOf(meta, "action_space", metadataPath);
        bool? jpeg = meta?["jpeg_encoding"] is JsonValue j && j.TryGetValue(out bool flag) ? flag : null;

        ZlibInflateFilter.EnsureRegistered();
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

            var acc = new Accumulator(file, episodes.Count);
            var spaces = new MinariSpaceReader(file, jpeg);
            foreach (var (group, id) in episodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    ReadEpisode(group, id, file, spaces, observationSpace, actionSpace, acc);
                }
                catch (Exception e) when (e is not DatasetFormatException and not OperationCanceledException and not OutOfMemoryException)
                {
                    throw new DatasetFormatException(file, group.Name, $"cannot read the episode ({e.GetType().Name}: {e.Message})", e);
                }
            }

            return acc.Build(metadata);
        }
    }

    private static MinariSpace? SpaceOf(JsonObject? meta, string key, string origin) => meta?[key] switch
    {
        JsonValue v when v.TryGetValue(out string? text) => MinariSpace.Parse(text, origin, key),
        JsonObject o => MinariSpace.Parse(o, origin, key),
        _ => null,
    };

    private static void ReadEpisode(IH5Group group, long id, string file, MinariSpaceReader spaces, MinariSpace? observationSpace, MinariSpace? actionSpace, Accumulator acc)
    {
        string where = group.Name;
        // One listing of the episode group: a lookup by name per key would open the links again.
        var children = group.Children().ToDictionary(c => c.Name, StringComparer.Ordinal);
        IH5Object Node(string key) => children.TryGetValue(key, out var child) ? child : throw new DatasetFormatException(file, $"{where}/{key}", "required key is missing");
        NdArray Array(string key) => Node(key) is IH5Dataset d
            ? Hdf5Types.ReadArray(d, file, $"{where}/{key}")
            : throw new DatasetFormatException(file, $"{where}/{key}", "is a group; Minari stores it as one dataset");

        var rewards = Array("rewards");
        int t = rewards.Shape.Length == 0 ? throw new DatasetFormatException(file, $"{where}/rewards", "has no row axis") : rewards.Shape[0];
        var terminations = Array("terminations");
        var truncations = Array("truncations");
        foreach (var (key, array) in new[] { ("terminations", terminations), ("truncations", truncations) })
        {
            if (array.Shape.Length == 0 || array.Shape[0] != t)
                throw new DatasetFormatException(file, $"{where}/{key}", $"has {(array.Shape.Length == 0 ? "no row axis" : $"{array.Shape[0]} rows")}, expected {t} (as rewards)");
        }

        var attributes = group.Attributes().ToDictionary(a => a.Name, StringComparer.Ordinal);
        long? totalSteps = attributes.TryGetValue("total_steps", out var stepsAttribute) ? Hdf5Types.ReadLong(stepsAttribute) : null;
        if (totalSteps is { } steps && steps != t)
            throw new DatasetFormatException(file, where, $"attribute total_steps = {steps} but rewards has {t} rows");

        var observations = spaces.Read(Node("observations"), observationSpace, $"{where}/observations", t + 1);
        var actions = spaces.Read(Node("actions"), actionSpace, $"{where}/actions", t);

        if (observations is [{ Path: "", Array: { } obs }])
        {
            acc.Add(D4rlKeys.Observations, Rows(obs, 0, t));
            acc.Add(D4rlKeys.NextObservations, Rows(obs, 1, t));
        }
        else
        {
            foreach (var leaf in observations)
            {
                if (leaf.Path.Length == 0)
                    throw new DatasetFormatException(file, $"{where}/observations", "a Text observation space outside a Dict or Tuple is not supported");
                acc.AddLeaf(MinariKeys.ObservationPrefix + leaf.Path, leaf, 0, t);
                acc.AddLeaf(MinariKeys.NextObservationPrefix + leaf.Path, leaf, 1, t);
            }

            if (Flatten(observations, t + 1) is { } flat)
            {
                acc.Add(D4rlKeys.Observations, Rows(flat, 0, t));
                acc.Add(D4rlKeys.NextObservations, Rows(flat, 1, t));
            }
        }

        if (actions is [{ Path: "", Array: { } act }])
        {
            acc.Add(D4rlKeys.Actions, act);
        }
        else
        {
            foreach (var leaf in actions)
            {
                if (leaf.Path.Length == 0)
                    throw new DatasetFormatException(file, $"{where}/actions", "a Text action space outside a Dict or Tuple is not supported");
                acc.AddLeaf(MinariKeys.ActionPrefix + leaf.Path, leaf, 0, t);
            }

            if (Flatten(actions, t) is { } flat)
                acc.Add(D4rlKeys.Actions, flat);
        }

        acc.Add(D4rlKeys.Rewards, rewards);
        acc.Add(D4rlKeys.Terminals, BoolArray(FlagReader.ToFlags(terminations, $"{where}/terminations")));
        acc.Add(D4rlKeys.Timeouts, BoolArray(FlagReader.ToFlags(truncations, $"{where}/truncations")));
        acc.Add(D4rlKeys.EpisodeIndex, new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(Enumerable.Repeat(id, t).ToArray().AsSpan()).ToArray()));
        acc.AddEpisode(id, attributes.TryGetValue("seed", out var seedAttribute) ? Hdf5Types.ReadIntegerText(seedAttribute) ?? "" : "");

        if (children.TryGetValue("infos", out var infos))
            ReadInfos(infos as IH5Group ?? throw new DatasetFormatException(file, $"{where}/infos", "is a dataset; Minari stores infos as a group"), file, $"{where}/infos", t, acc);
    }

    /// <summary>
    /// Infos as upstream's _decode_info returns them (every dataset under infos/, nested groups kept as
    /// slash paths). Per-step infos of T + 1 rows (reset info first) give the step rows 1..T as
    /// infos/&lt;path&gt; and keep the reset row per episode; strings are kept as string lists.
    /// </summary>
    private static void ReadInfos(IH5Group infos, string file, string where, int t, Accumulator acc)
    {
        foreach (var (key, dataset) in Hdf5Types.Walk(infos))
        {
            string full = $"{where}/{key}";
            ulong[] dims = dataset.Space.Dimensions;
            if (dims.Length == 0)
            {
                acc.Skip($"{full}: a scalar (no row axis)");
                continue;
            }

            int rows = (int)dims[0];
            if (rows != t && rows != t + 1)
                throw new DatasetFormatException(file, full, $"has {rows} rows, expected {t} or {t + 1}");
            var type = dataset.Type;
            string[]? strings = type.Class == H5DataTypeClass.String ? Hdf5Types.ReadStrings(dataset, file, full)
                : type.Class == H5DataTypeClass.VariableLength ? Hdf5Types.TryReadStrings(dataset) : null;
            if (strings is not null)
            {
                acc.AddStrings(D4rlKeys.InfosPrefix + key, strings[(rows - t)..]);
                if (rows == t + 1)
                    acc.AddResetString(key, strings[0]);
                continue;
            }

            if (Hdf5Types.ToDType(type) is null or DType.String)
            {
                acc.Skip($"{full}: unsupported element type {Hdf5Types.Describe(type)}");
                continue;
            }

            var info = Hdf5Types.ReadArray(dataset, file, full);
            acc.Add(D4rlKeys.InfosPrefix + key, rows == t + 1 ? Rows(info, 1, t) : info);
            if (rows == t + 1)
                acc.AddResetRow(key, Rows(info, 0, 1));
        }
    }

    /// <summary>
    /// The numeric, non-image leaves of a Dict / Tuple flattened per row and concatenated in space
    /// order (the vector a flat-observation policy reads). Their common dtype when they share one, else
    /// float64 (exact for every integer below 2^53); the leaves themselves keep their stored dtypes.
    /// </summary>
    internal static NdArray? Flatten(IReadOnlyList<MinariLeaf> leaves, int rows)
    {
        var parts = leaves.Where(l => l.Array is not null && !l.IsImage).Select(l => l.Array!).ToArray();
        if (parts.Length == 0)
            return null;
        var dtype = parts.All(p => p.DType == parts[0].DType) ? parts[0].DType : DType.Float64;
        int[] widths = parts.Select(p => (int)(p.ElementCount / Math.Max(1, rows))).ToArray();
        int width = widths.Sum();
        int size = dtype.ByteSize();
        var data = new byte[(long)rows * width * size];
        int offset = 0;
        for (int k = 0; k < parts.Length; k++)
        {
            var source = parts[k].DType == dtype ? parts[k].Data : ToFloat64(parts[k]);
            int rowBytes = widths[k] * size;
            for (int r = 0; r < rows; r++)
                Buffer.BlockCopy(source, r * rowBytes, data, (r * width + offset) * size, rowBytes);
            offset += widths[k];
        }

        return new NdArray(dtype, [rows, width], data);
    }

    private static byte[] ToFloat64(NdArray array)
    {
        var values = new double[array.ElementCount];
        var d = array.Data.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = array.DType switch
            {
                DType.Float32 => MemoryMarshal.Cast<byte, float>(d)[i],
                DType.Float64 => MemoryMarshal.Cast<byte, double>(d)[i],
                DType.Int64 => MemoryMarshal.Cast<byte, long>(d)[i],
                DType.Int32 => MemoryMarshal.Cast<byte, int>(d)[i],
                DType.Int16 => MemoryMarshal.Cast<byte, short>(d)[i],
                DType.Int8 => MemoryMarshal.Cast<byte, sbyte>(d)[i],
                DType.UInt64 => MemoryMarshal.Cast<byte, ulong>(d)[i],
                DType.UInt32 => MemoryMarshal.Cast<byte, uint>(d)[i],
                DType.UInt16 => MemoryMarshal.Cast<byte, ushort>(d)[i],
                _ => d[i],
            };
        }

        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    internal static NdArray Rows(NdArray array, int start, int count)
    {
        int rowBytes = array.Shape[0] == 0 ? 0 : array.Data.Length / array.Shape[0];
        return new NdArray(array.DType, [count, .. array.Shape[1..]], array.Data.AsSpan(start * rowBytes, count * rowBytes).ToArray());
    }

    internal static NdArray BoolArray(bool[] flags) => new(DType.Bool, [flags.Length], flags.Select(f => f ? (byte)1 : (byte)0).ToArray());

    /// <summary>Per-episode pieces of every key, joined at the end; a key missing from some episodes is an error naming it.</summary>
    private sealed class Accumulator(string file, int episodeCount)
    {
        private readonly Dictionary<string, List<NdArray>> _columns = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _strings = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _stringEpisodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NdArray>> _resetRows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _resetStrings = new(StringComparer.Ordinal);
        private readonly List<long> _ids = [];
        private readonly List<string> _seeds = [];
        private readonly List<string> _skipped = [];

        public void Add(string key, NdArray array)
        {
            if (!_columns.TryGetValue(key, out var list))
                _columns[key] = list = [];
            list.Add(array);
        }

        public void AddLeaf(string key, MinariLeaf leaf, int start, int count)
        {
            if (leaf.Array is { } array)
                Add(key, Rows(array, start, count));
            else
                AddStrings(key, leaf.Strings!.AsSpan(start, count).ToArray());
        }

        public void AddStrings(string key, IEnumerable<string> values)
        {
            if (!_strings.TryGetValue(key, out var list))
                _strings[key] = list = [];
            list.AddRange(values);
            _stringEpisodes[key] = _stringEpisodes.GetValueOrDefault(key) + 1;
        }

        public void AddResetRow(string key, NdArray row)
        {
            if (!_resetRows.TryGetValue(key, out var list))
                _resetRows[key] = list = [];
            list.Add(row);
        }

        public void AddResetString(string key, string value)
        {
            if (!_resetStrings.TryGetValue(key, out var list))
                _resetStrings[key] = list = [];
            list.Add(value);
        }

        public void AddEpisode(long id, string seed)
        {
            _ids.Add(id);
            _seeds.Add(seed);
        }

        public void Skip(string reason)
        {
            if (!_skipped.Contains(reason))
                _skipped.Add(reason);
        }

        public FlatDataset Build(Dictionary<string, MetadataValue> metadata)
        {
            var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (var (key, list) in _columns)
            {
                if (list.Count != episodeCount)
                    throw new DatasetFormatException(file, key, $"present in {list.Count} of {episodeCount} episodes");
                columns[key] = RowConcat.Concat(list, file, key);
            }

            foreach (var (key, list) in _strings)
            {
                if (_stringEpisodes[key] != episodeCount)
                    throw new DatasetFormatException(file, key, $"present in {_stringEpisodes[key]} of {episodeCount} episodes");
                metadata[key] = MetadataValue.FromStrings(list);
            }

            metadata[MinariKeys.EpisodeIds] = MetadataValue.FromArray(new NdArray(DType.Int64, [_ids.Count], MemoryMarshal.AsBytes(_ids.ToArray().AsSpan()).ToArray()));
            metadata[MinariKeys.EpisodeSeeds] = MetadataValue.FromStrings(_seeds);
            foreach (var (key, rows) in _resetRows)
            {
                if (rows.Count == episodeCount)
                    metadata[MinariKeys.ResetInfosPrefix + key] = MetadataValue.FromArray(RowConcat.Concat(rows, file, $"infos/{key}"));
                else
                    Skip($"infos/{key}: reset rows (T + 1 rows) in only {rows.Count} of {episodeCount} episodes; the reset rows are not kept");
            }

            foreach (var (key, values) in _resetStrings)
            {
                if (values.Count == episodeCount)
                    metadata[MinariKeys.ResetInfosPrefix + key] = MetadataValue.FromStrings(values);
                else
                    Skip($"infos/{key}: reset rows (T + 1 rows) in only {values.Count} of {episodeCount} episodes; the reset rows are not kept");
            }

            if (_skipped.Count > 0)
                metadata[MinariKeys.Skipped] = MetadataValue.FromStrings(_skipped);
            return new FlatDataset(columns, metadata);
        }
    }
}
