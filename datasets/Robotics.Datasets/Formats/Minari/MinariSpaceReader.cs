using PureHDF;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5.Internal;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// Reads an episode's "observations" or "actions" node as HDF5Storage._decode_space does: a Dict is a
/// group keyed by subspace name, a Tuple a group of "_index_i", Text a dataset of UTF-8 strings, an
/// image Box one JPEG per row (variable-length uint8, or fixed-length uint8 rows when every frame
/// happens to have the same length), anything else a dataset of rows. Errors name the file and key.
/// </summary>
internal sealed class MinariSpaceReader(string origin, bool? jpegEncoding)
{
    public List<MinariLeaf> Read(IH5Object node, MinariSpace? space, string key, int rows)
    {
        var leaves = new List<MinariLeaf>();
        Walk(node, space, key, "", rows, leaves);
        return leaves;
    }

    private void Walk(IH5Object node, MinariSpace? space, string key, string path, int rows, List<MinariLeaf> leaves)
    {
        if (node is IH5Group group)
        {
            // One listing per group: every lookup by name would open the link again.
            var children = group.Children().ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var (name, sub) in Children(children, space, key))
            {
                if (!children.TryGetValue(name, out var child))
                    throw new DatasetFormatException(origin, $"{key}/{name}", $"is missing: the space in metadata.json has a subspace '{name}' here");
                Walk(child, sub, $"{key}/{name}", path.Length == 0 ? name : $"{path}/{name}", rows, leaves);
            }

            return;
        }

        if (node is not IH5Dataset dataset)
            throw new DatasetFormatException(origin, key, "is neither a group nor a dataset");
        if (space is DictSpace or TupleSpace)
            throw new DatasetFormatException(origin, key, $"is a dataset but metadata.json describes a {(space is DictSpace ? "Dict" : "Tuple")} space (a group on disk)");
        leaves.Add(ReadLeaf(dataset, space, key, path, rows));
    }

    /// <summary>Children in space order; without a space, by name (Tuple members by index).</summary>
    private IEnumerable<(string Name, MinariSpace? Space)> Children(IReadOnlyDictionary<string, IH5Object> group, MinariSpace? space, string key)
    {
        switch (space)
        {
            case DictSpace d:
                var known = d.Entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
                foreach (var (name, sub) in d.Entries)
                    yield return (name, sub);
                // Upstream would fail on a key its space lacks (KeyError); reading it keeps the data.
                foreach (string extra in Names(group).Where(n => !known.Contains(n)))
                    yield return (extra, null);
                break;
            case TupleSpace t:
                for (int i = 0; i < t.Items.Count; i++)
                    yield return (MinariKeys.TupleMember(i), t.Items[i]);
                break;
            case null:
                foreach (string name in Names(group))
                    yield return (name, null);
                break;
            default:
                throw new DatasetFormatException(origin, key, $"is a group but metadata.json describes {space} (one dataset on disk)");
        }
    }

    private static IEnumerable<string> Names(IReadOnlyDictionary<string, IH5Object> group) => group.Keys
        .OrderBy(n => n.StartsWith("_index_", StringComparison.Ordinal) && int.TryParse(n.AsSpan(7), out int i) ? i : int.MaxValue)
        .ThenBy(n => n, StringComparer.Ordinal);

    private MinariLeaf ReadLeaf(IH5Dataset dataset, MinariSpace? space, string key, string path, int rows)
    {
        var type = dataset.Type;
        ulong[] dims = dataset.Space.Dimensions;
        if (dims.Length == 0 || (int)dims[0] != rows)
            throw new DatasetFormatException(origin, key, $"has {(dims.Length == 0 ? "no row axis" : $"{dims[0]} rows")}, expected {rows}");

        if (space is TextSpace || (space is null && type.Class == H5DataTypeClass.String))
            return new MinariLeaf(path, null, Hdf5Types.ReadStrings(dataset, origin, key), false);

        if (type.Class == H5DataTypeClass.VariableLength)
        {
            if (space is null && Hdf5Types.TryReadStrings(dataset) is { } strings)
                return new MinariLeaf(path, null, strings, false);
            if (jpegEncoding == false)
                throw new DatasetFormatException(origin, key, "holds variable-length data but metadata.json says jpeg_encoding: false");
            byte[][] frames = Hdf5Types.ReadByteSequences(dataset, origin, key);
            return new MinariLeaf(path, DecodeFrames(frames, space, key), null, true);
        }

        // Frames of equal length are stored by h5py as a plain (rows, length) uint8 array: JPEG bytes,
        // never pixels, whenever the space wants an image of rank >= 2 and the rows are JPEG streams.
        if (jpegEncoding != false && space is BoxSpace { Shape.Length: >= 2 } && Hdf5Types.ToDType(type) == DType.UInt8 && dims.Length == 2)
        {
            var raw = Hdf5Types.ReadArray(dataset, origin, key);
            int length = (int)dims[1];
            if (rows > 0 && MinariJpeg.LooksLikeJpeg(raw.Data.AsSpan(0, length)))
            {
                var frames = Enumerable.Range(0, rows).Select(r => raw.Data.AsSpan(r * length, length).ToArray()).ToArray();
                return new MinariLeaf(path, DecodeFrames(frames, space, key), null, true);
            }
        }

        var array = Hdf5Types.ReadArray(dataset, origin, key);
        if (space?.LeafShape is { } shape && !array.Shape[1..].SequenceEqual(shape))
            throw new DatasetFormatException(origin, key, $"rows have shape [{string.Join(", ", array.Shape[1..])}] but metadata.json's space {space} has [{string.Join(", ", shape)}]");
        return new MinariLeaf(path, array, null, space is BoxSpace { IsImage: true });
    }

    private NdArray DecodeFrames(byte[][] frames, MinariSpace? space, string key)
    {
        int[]? shape = null;
        byte[]? data = null;
        for (int row = 0; row < frames.Length; row++)
        {
            var (pixels, frameShape) = MinariJpeg.Decode(frames[row], origin, key, row);
            if (shape is null)
            {
                // A (H, W, 1) space decodes to PIL's (H, W); the space's shape is what the rows carry.
                shape = space is BoxSpace box && box.Shape.Aggregate(1, (a, b) => a * b) == pixels.Length ? box.Shape : frameShape;
                if (space is BoxSpace b && !shape.SequenceEqual(b.Shape))
                    throw new DatasetFormatException(origin, key, $"row 0: the JPEG frame is [{string.Join(", ", frameShape)}] but metadata.json's space is {space}");
                data = new byte[(long)frames.Length * pixels.Length];
            }

            if (pixels.Length * frames.Length != data!.Length)
                throw new DatasetFormatException(origin, key, $"row {row}: the JPEG frame is [{string.Join(", ", frameShape)}], unlike row 0 [{string.Join(", ", shape)}]");
            pixels.CopyTo(data, (long)row * pixels.Length);
        }

        return new NdArray(DType.UInt8, [frames.Length, .. shape ?? []], data ?? []);
    }
}
