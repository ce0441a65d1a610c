using System.Globalization;

namespace Robotics.Evaluation.Store;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>: the items whose canonical position is congruent to the index,
/// so shards are disjoint, cover the plan, and balance cells across shards.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Whole { get; } = new(0, 1);

    public bool Contains(int position) => position % Count == Index;

    /// <summary>"i/n" with 0 &lt;= i &lt; n.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || i >= n)
            throw new FormatException($"shard '{text}' must be i/n with 0 <= i < n (e.g. 0/4)");
        return new ShardSpec(i, n);
    }

    public override string ToString() => $"{Index}/{Count}";
}
