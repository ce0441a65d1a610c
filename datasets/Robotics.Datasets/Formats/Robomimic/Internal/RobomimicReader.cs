using System.Runtime.InteropServices;
using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic.Internal;

/// <summary>Reads a robomimic HDF5 file into the flat layout; the mapping is documented on <see cref="RobomimicDataset"/>.</summary>
internal static class RobomimicReader
{
    /// <summary>Demo datasets this reader maps; anything else in a demo group is listed under <see cref="RobomimicKeys.Skipped"/>.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "actions", "rewards", "dones", "states", RobomimicKeys.ActionsAbs };

    public static FlatDataset Read(string path, CancellationToken cancellationToken)
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
            // robomimic sorts demos by the integer after "demo_" (dataset.py load_demo_info), not by name.
            var demos = data.Children().OfType<IH5Group>()
                .Where(g => g.Name.StartsWith("demo_", StringComparison.Ordinal))
                .Select(g => (Group: g, Id: long.TryParse(g.Name["demo_".Length..], out long id) && id >= 0 ? id : throw new DatasetFormatException(path, $"data/{g.Name}", "demo group name is not demo_{non-negative integer}")))
                .OrderBy(d => d.Id)
                .ToList();
            if (demos.Count == 0)
                throw new DatasetFormatException(path, "data", "no demo_{i} groups");

            var parts = new Dictionary<string, List<NdArray>>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
            var skipped = new SortedSet<string>(StringComparer.Ordinal);
            // robomimic's loader takes every child of data/ for a demo; anything else is named, not dropped silently
            foreach (var other in data.Children().Where(c => c is not IH5Group || !c.Name.StartsWith("demo_", StringComparison.Ordinal)))
                skipped.Add($"data/{other.Name}");
            foreach (var (group, id) in demos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadDemo(path, group, id, parts, metadata, skipped);
            }

            var columns = new Dictionary<string, NdArray>(StringComparer.Ordinal);
            foreach (var (key, list) in parts)
            {
                // A key in some demos only cannot become a column; robomimic's writers write every key for every demo.
                if (list.Count != demos.Count)
                    throw new DatasetFormatException(path, key, $"present in {list.Count} of {demos.Count} demos");
                columns[key] = RowConcat.Concat(list, path, key);
            }

            var lowDim = columns.Where(c => c.Key.StartsWith(RobomimicKeys.ObsPrefix, StringComparison.Ordinal) && c.Value.Shape.Length == 2 && c.Value.DType != DType.UInt8)
                .OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value).ToList();
            if (lowDim.Count > 0)
                columns[D4rlKeys.Observations] = ConcatFeatures(lowDim);

            ReadFileMetadata(path, h5, data, metadata, skipped);
            if (skipped.Count > 0)
                metadata[RobomimicKeys.Skipped] = MetadataValue.FromStrings(skipped);
            return new FlatDataset(columns, metadata);
        }
    }

    private static void ReadDemo(string path, IH5Group group, long id, Dictionary<string, List<NdArray>> parts, Dictionary<string, MetadataValue> metadata, SortedSet<string> skipped)
    {
        void Add(string key, NdArray array)
        {
            if (!parts.TryGetValue(key, out var list))
                parts[key] = list = [];
            list.Add(array);
        }

        string where = $"data/{group.Name}";
        var actions = group.LinkExists("actions")
            ? Hdf5Types.ReadArray(group.Dataset("actions"), path, $"{where}/actions")
            : throw new DatasetFormatException(path, $"{where}/actions", "required key is missing");
        if (actions.Shape.Length == 0)
            throw new DatasetFormatException(path, $"{where}/actions", "is a scalar; expected one row per step");
        int t = actions.Shape[0];
        long? numSamples = Hdf5Types.ReadLongAttribute(group, "num_samples");
        if (numSamples is { } n && n != t)
            throw new DatasetFormatException(path, where, $"attribute num_samples = {n} but actions has {t} rows");
        Add(D4rlKeys.Actions, actions);

        NdArray Rows(IH5Dataset dataset, string key)
        {
            var array = Hdf5Types.ReadArray(dataset, path, $"{where}/{key}");
            return array.Shape.Length > 0 && array.Shape[0] == t ? array
                : throw new DatasetFormatException(path, $"{where}/{key}", $"has shape [{string.Join(", ", array.Shape)}], expected {t} rows");
        }

        // Missing rewards stay missing (no zeros invented): writers that need them refuse or fill on request.
        if (group.LinkExists("rewards"))
            Add(D4rlKeys.Rewards, Rows(group.Dataset("rewards"), "rewards"));

        // dones (done mode 0: success steps, 1: last step, 2: both) is robomimic's TD mask: its
        // algorithms bootstrap with (1 - dones) (algo/bcq.py, cql.py, iql.py), which is exactly
        // what terminals means to D4RL's qlearning_dataset. It does not end the demo: the episode
        // is the demo (infos/episode_index), so terminals may be set inside an episode.
        bool[] done = new bool[t];
        if (group.LinkExists("dones"))
        {
            var dones = Rows(group.Dataset("dones"), "dones");
            done = FlagReader.ToFlags(dones, $"{where}/dones");
            Add(RobomimicKeys.Dones, dones);
        }

        var timeouts = new bool[t];
        if (t > 0 && !done[t - 1])
            timeouts[t - 1] = true; // the demo ended without a done: a truncation, bootstrapping allowed
        Add(D4rlKeys.Terminals, BoolArray(done));
        Add(D4rlKeys.Timeouts, BoolArray(timeouts));
        Add(D4rlKeys.EpisodeIndex, new NdArray(DType.Int64, [t], MemoryMarshal.AsBytes(Enumerable.Repeat(id, t).ToArray().AsSpan()).ToArray()));
        if (group.LinkExists("states"))
            Add(RobomimicKeys.States, Rows(group.Dataset("states"), "states"));
        if (group.LinkExists(RobomimicKeys.ActionsAbs))
            Add(RobomimicKeys.ActionsAbs, Rows(group.Dataset(RobomimicKeys.ActionsAbs), RobomimicKeys.ActionsAbs));

        foreach (var child in group.Children())
        {
            switch (child)
            {
                case IH5Group sub when sub.Name is "obs" or "next_obs" or "action_dict":
                    foreach (var (key, dataset) in Hdf5Types.Walk(sub))
                        Add($"{sub.Name}/{key}", Rows(dataset, $"{sub.Name}/{key}"));
                    break;
                case IH5Group sub:
                    foreach (var (key, _) in Hdf5Types.Walk(sub))
                        skipped.Add($"data/demo_*/{sub.Name}/{key}");
                    break;
                case IH5Dataset when !Known.Contains(child.Name):
                    skipped.Add($"data/demo_*/{child.Name}");
                    break;
            }
        }

        foreach (var attribute in group.Attributes())
        {
            if (attribute.Name == "num_samples")
                continue;
            if (ReadAttribute(attribute) is { } value)
                metadata[RobomimicKeys.EpisodeAttr(id, attribute.Name)] = value;
            else
                skipped.Add($"data/demo_*.attrs[{attribute.Name}]");
        }
    }

    private static void ReadFileMetadata(string path, PureHDF.VOL.Native.NativeFile h5, IH5Group data, Dictionary<string, MetadataValue> metadata, SortedSet<string> skipped)
    {
        foreach (var attribute in data.Attributes())
        {
            if (attribute.Name == "total")
                continue; // recomputed on write
            var value = ReadAttribute(attribute);
            if (attribute.Name == "env_args" && value is { IsText: true })
                metadata[RobomimicKeys.EnvArgs] = value;
            else if (value is not null)
                metadata[RobomimicKeys.DataAttrsPrefix + attribute.Name] = value;
            else
                skipped.Add($"data.attrs[{attribute.Name}]");
        }

        if (h5.LinkExists("mask"))
        {
            foreach (var (key, dataset) in Hdf5Types.Walk(h5.Group("mask")))
            {
                try
                {
                    metadata[RobomimicKeys.MaskPrefix + key] = MetadataValue.FromStrings(dataset.Read<string[]>());
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new DatasetFormatException(path, $"mask/{key}", $"expected an array of demo names ({e.Message})", e);
                }
            }
        }

        // Our writer keeps metadata robomimic has no place for (task instructions, filled_rewards,
        // a source's own metadata) in a top-level metadata/ group, which robomimic's loader never opens.
        if (h5.LinkExists("metadata"))
        {
            foreach (var (key, dataset) in Hdf5Types.Walk(h5.Group("metadata")))
                metadata[D4rlKeys.MetadataPrefix + key] = ReadMetadataDataset(path, "metadata/" + key, dataset);
        }
    }

    /// <summary>A scalar string or number attribute; null for array attributes or other types.</summary>
    private static MetadataValue? ReadAttribute(IH5Attribute attribute)
    {
        if (attribute.Space.Dimensions.Length != 0 && attribute.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) != 1)
            return null;
        return attribute.Type.Class switch
        {
            H5DataTypeClass.String or H5DataTypeClass.VariableLength => MetadataValue.FromText(attribute.Read<string>()),
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 8 && attribute.Type.FixedPoint.IsSigned => Scalar(DType.Int64, BitConverter.GetBytes(attribute.Read<long>())),
            H5DataTypeClass.FixedPoint when attribute.Type.Size == 4 && attribute.Type.FixedPoint.IsSigned => Scalar(DType.Int32, BitConverter.GetBytes(attribute.Read<int>())),
            H5DataTypeClass.FloatingPoint when attribute.Type.Size == 8 => Scalar(DType.Float64, BitConverter.GetBytes(attribute.Read<double>())),
            H5DataTypeClass.FloatingPoint when attribute.Type.Size == 4 => Scalar(DType.Float32, BitConverter.GetBytes(attribute.Read<float>())),
            _ => null,
        };
    }

    private static MetadataValue Scalar(DType dtype, byte[] bytes) => MetadataValue.FromArray(new NdArray(dtype, [], bytes));

    private static MetadataValue ReadMetadataDataset(string path, string key, IH5Dataset dataset)
    {
        if (Hdf5Types.ToDType(dataset.Type) == DType.String)
        {
            try
            {
                return dataset.Space.Dimensions.Length == 0
                    ? MetadataValue.FromText(dataset.Read<string>())
                    : MetadataValue.FromStrings(dataset.Read<string[]>());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new DatasetFormatException(path, key, $"cannot read text ({e.Message})", e);
            }
        }

        return MetadataValue.FromArray(Hdf5Types.ReadArray(dataset, path, key));
    }

    private static NdArray BoolArray(bool[] flags) => new(DType.Bool, [flags.Length], flags.Select(f => f ? (byte)1 : (byte)0).ToArray());

    /// <summary>Low-dimensional obs keys side by side as float32: the flat layout's observations.</summary>
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
