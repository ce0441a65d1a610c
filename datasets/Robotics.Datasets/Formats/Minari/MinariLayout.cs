using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// How a flat dataset's observations (or actions) become a Minari space: one Box column, or the
/// obs/* (act/*) leaves written back as the nested Dict / Tuple they came from. The source space in
/// metadata.json is reused verbatim when its leaves match the columns exactly (bounds, Discrete,
/// MultiBinary and Text kept); otherwise a space is built from the columns.
/// </summary>
internal sealed record MinariLayout(IReadOnlyList<MinariLeafSource> Leaves, string SpaceJson, MinariSpace Space, bool Nested)
{
    public static MinariLayout Of(ITrajectorySource dataset, IReadOnlyDictionary<string, MetadataValue> metadata, string flatKey, string? flatNextKey, string prefix, string? nextPrefix, string? sourceSpaceJson, string origin)
    {
        var leaves = new List<MinariLeafSource>();
        var columns = dataset.Columns.ToDictionary(c => c.Key, StringComparer.Ordinal);
        foreach (var column in dataset.Columns.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string path = column.Key[prefix.Length..];
            string? next = nextPrefix is not null && columns.TryGetValue(nextPrefix + path, out var n) && n.DType == column.DType && n.RowShape.SequenceEqual(column.RowShape) ? nextPrefix + path : null;
            leaves.Add(new MinariLeafSource(path, column.Key, next, false, column.DType, [.. column.RowShape]));
        }

        foreach (var (key, value) in metadata.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && m.Value.IsText && !m.Value.IsScalar && m.Value.Strings!.Count == dataset.RowCount).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            string path = key[prefix.Length..];
            string? next = nextPrefix is not null && metadata.TryGetValue(nextPrefix + path, out var n) && n.IsText && n.Strings!.Count == dataset.RowCount ? nextPrefix + path : null;
            leaves.Add(new MinariLeafSource(path, key, next, true, DType.String, []));
        }

        bool nested = leaves.Count > 0;
        if (!nested)
        {
            if (!dataset.HasColumn(flatKey))
                throw new DatasetFormatException(origin, flatKey, $"required key is missing: Minari needs {flatKey} (or {prefix}* leaves of a Dict / Tuple space)");
            var info = dataset.Column(flatKey);
            string? next = flatNextKey is not null && dataset.HasColumn(flatNextKey) ? flatNextKey : null;
            leaves.Add(new MinariLeafSource("", flatKey, next, false, info.DType, [.. info.RowShape]));
        }

        if (sourceSpaceJson is not null)
        {
            MinariSpace? source = null;
            try
            {
                source = MinariSpace.Parse(sourceSpaceJson, origin, flatKey);
            }
            catch (DatasetFormatException)
            {
                // An unreadable source space is replaced by one built from the columns.
            }

            if (source is not null && Matches(source, leaves))
            {
                var byPath = leaves.ToDictionary(l => l.Path, StringComparer.Ordinal);
                return new MinariLayout(source.Leaves().Select(l => byPath[l.Path]).ToArray(), sourceSpaceJson, source, nested);
            }
        }

        var built = nested ? Build(leaves, metadata, origin) : BoxSpace.Unbounded(leaves[0].DType, leaves[0].RowShape);
        var ordered = nested ? built.Leaves().Select(l => leaves.First(x => x.Path == l.Path)).ToArray() : leaves.ToArray();
        return new MinariLayout(ordered, PythonJson.ToText(built.ToJson()), built, nested);
    }

    private static bool Matches(MinariSpace space, IReadOnlyList<MinariLeafSource> leaves)
    {
        var spaceLeaves = space.Leaves().ToArray();
        if (spaceLeaves.Length != leaves.Count)
            return false;
        var byPath = leaves.ToDictionary(l => l.Path, StringComparer.Ordinal);
        return spaceLeaves.All(s => byPath.TryGetValue(s.Path, out var leaf) && s.Space.LeafDType == leaf.DType && s.Space.LeafShape.SequenceEqual(leaf.RowShape));
    }

    /// <summary>A Dict (names sorted, as gymnasium sorts a dict's keys) or, where every child is "_index_i" from 0, a Tuple.</summary>
    private static MinariSpace Build(IReadOnlyList<MinariLeafSource> leaves, IReadOnlyDictionary<string, MetadataValue> metadata, string origin)
    {
        MinariSpace Node(IReadOnlyList<(string[] Parts, MinariLeafSource Leaf)> items, int depth)
        {
            if (items is [var only] && only.Parts.Length == depth)
            {
                var leaf = only.Leaf;
                return leaf.IsText ? TextSpace.For(metadata[leaf.Key].Strings!) : BoxSpace.Unbounded(leaf.DType, leaf.RowShape);
            }

            if (items.FirstOrDefault(i => i.Parts.Length == depth) is { Leaf: { } clash })
                throw new DatasetFormatException(origin, clash.Key, "is both a leaf and the parent of other leaves; it cannot be written as a Dict space");
            var groups = items.GroupBy(i => i.Parts[depth], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
            bool tuple = groups.Length > 0 && groups.Select(g => g.Key).Order(StringComparer.Ordinal).SequenceEqual(
                Enumerable.Range(0, groups.Length).Select(MinariKeys.TupleMember).Order(StringComparer.Ordinal));
            if (tuple)
            {
                return new TupleSpace(Enumerable.Range(0, groups.Length)
                    .Select(i => Node(groups.Single(g => g.Key == MinariKeys.TupleMember(i)).ToArray(), depth + 1)).ToArray());
            }

            return new DictSpace(groups.Select(g => new KeyValuePair<string, MinariSpace>(g.Key, Node(g.ToArray(), depth + 1))).ToArray());
        }

        return Node(leaves.Select(l => (l.Path.Split('/'), l)).ToArray(), 0);
    }
}
