namespace Robotics.Statistics;

/// <summary>
/// The compact letter display of a pairwise comparison: each policy gets letters, and two policies
/// that share a letter are not significantly different. It condenses k(k-1)/2 test results into one
/// readable column of a results table ("a", "ab", "b").
/// </summary>
public static class CompactLetterDisplay
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>
    /// Letters by Piepho's insert-and-absorb algorithm (Piepho 2004, "An algorithm for a letter-based
    /// representation of all-pairwise comparisons", J. Comput. Graph. Stat. 13:456-466), followed by
    /// his sweeping step that drops redundant letters. Starting from one letter shared by all, each
    /// significant pair splits every letter column holding both into two (one without each member);
    /// columns contained in another are absorbed. Letters are then named in the order of
    /// <paramref name="orderedNames"/>: the column holding the earliest name is "a" (so list the best
    /// policy first to give it "a").
    /// </summary>
    /// <param name="orderedNames">All policy names, unique, in display order.</param>
    /// <param name="comparisons">Pairwise results; only <see cref="PairwiseResult.Different"/> is read. A pair absent from the list counts as not different.</param>
    /// <returns>Each name's letters, in alphabetical order.</returns>
    /// <exception cref="NotSupportedException">More than 52 letters would be needed.</exception>
    public static IReadOnlyDictionary<string, string> Letters(
        IReadOnlyList<string> orderedNames, IReadOnlyList<PairwiseResult> comparisons)
    {
        ArgumentNullException.ThrowIfNull(orderedNames);
        ArgumentNullException.ThrowIfNull(comparisons);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < orderedNames.Count; i++)
        {
            if (orderedNames[i] is null || !index.TryAdd(orderedNames[i], i))
            {
                throw new ArgumentException(
                    $"orderedNames[{i}] is null or repeats an earlier name ('{orderedNames[i]}').", nameof(orderedNames));
            }
        }

        var k = orderedNames.Count;
        var different = new bool[k, k];
        foreach (var comparison in comparisons)
        {
            ArgumentNullException.ThrowIfNull(comparison, nameof(comparisons));
            if (!index.TryGetValue(comparison.A, out var a) || !index.TryGetValue(comparison.B, out var b))
            {
                throw new ArgumentException(
                    $"comparisons names '{comparison.A}' vs '{comparison.B}', which is not in orderedNames.", nameof(comparisons));
            }

            if (comparison.Different && a != b)
            {
                different[a, b] = true;
                different[b, a] = true;
            }
        }

        var columns = InsertAndAbsorb(k, different);
        Sweep(columns);
        columns.RemoveAll(column => column.Count == 0);
        if (columns.Count > Alphabet.Length)
        {
            throw new NotSupportedException(
                $"The comparison needs {columns.Count} letters; at most {Alphabet.Length} are supported.");
        }

        // Name the columns in display order: by their earliest member, then the next, and so on.
        columns.Sort((x, y) => Compare([.. x.Order()], [.. y.Order()]));

        var letters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < k; i++)
        {
            var own = string.Concat(columns.Select((column, c) => column.Contains(i) ? Alphabet[c].ToString() : string.Empty));
            letters[orderedNames[i]] = own;
        }

        return letters;
    }

    private static List<HashSet<int>> InsertAndAbsorb(int k, bool[,] different)
    {
        var columns = new List<HashSet<int>>();
        if (k > 0)
        {
            columns.Add([.. Enumerable.Range(0, k)]);
        }

        for (var i = 0; i < k; i++)
        {
            for (var j = i + 1; j < k; j++)
            {
                if (!different[i, j])
                {
                    continue;
                }

                var next = new List<HashSet<int>>();
                foreach (var column in columns)
                {
                    if (column.Contains(i) && column.Contains(j))
                    {
                        next.Add([.. column.Where(member => member != i)]);
                        next.Add([.. column.Where(member => member != j)]);
                    }
                    else
                    {
                        next.Add(column);
                    }
                }

                columns = Absorb(next);
            }
        }

        return columns;
    }

    /// <summary>Drops every column that is a subset of another (keeping one of equal columns).</summary>
    private static List<HashSet<int>> Absorb(List<HashSet<int>> columns)
    {
        var kept = new List<HashSet<int>>();
        for (var c = 0; c < columns.Count; c++)
        {
            var absorbed = false;
            for (var d = 0; d < columns.Count && !absorbed; d++)
            {
                if (c == d || !columns[c].IsSubsetOf(columns[d]))
                {
                    continue;
                }

                // Equal columns: keep the first of them only.
                absorbed = !columns[c].SetEquals(columns[d]) || d < c;
            }

            if (!absorbed)
            {
                kept.Add(columns[c]);
            }
        }

        return kept;
    }

    /// <summary>
    /// Piepho's sweeping: a group's membership of a column is redundant when it shares some other
    /// column with every other member of that column (and keeps at least one letter); removing it
    /// changes no "shares a letter" relation.
    /// </summary>
    private static void Sweep(List<HashSet<int>> columns)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var c = 0; c < columns.Count; c++)
            {
                foreach (var member in columns[c].Order().ToArray())
                {
                    var elsewhere = columns.Where((column, d) => d != c && column.Contains(member)).ToList();
                    if (elsewhere.Count == 0)
                    {
                        continue;
                    }

                    var covered = columns[c].All(other => other == member || elsewhere.Any(column => column.Contains(other)));
                    if (covered)
                    {
                        columns[c].Remove(member);
                        changed = true;
                    }
                }
            }
        }
    }

    private static int Compare(int[] x, int[] y)
    {
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return x.Length.CompareTo(y.Length);
    }
}
