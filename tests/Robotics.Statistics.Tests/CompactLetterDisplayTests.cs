namespace Robotics.Statistics.Tests;

public sealed class CompactLetterDisplayTests
{
    [Fact]
    public void Chain_where_only_the_ends_differ_gives_a_ab_b()
    {
        var letters = CompactLetterDisplay.Letters(
            ["A", "B", "C"],
            [Pair("A", "B", false), Pair("A", "C", true), Pair("B", "C", false)]);

        Assert.Equal("a", letters["A"]);
        Assert.Equal("ab", letters["B"]);
        Assert.Equal("b", letters["C"]);
    }

    [Fact]
    public void All_equal_share_one_letter_and_all_different_get_one_each()
    {
        string[] names = ["P", "Q", "R", "S"];
        var equal = CompactLetterDisplay.Letters(names, AllPairs(names, different: false));
        var distinct = CompactLetterDisplay.Letters(names, AllPairs(names, different: true));

        Assert.All(names, name => Assert.Equal("a", equal[name]));
        Assert.Equal(["a", "b", "c", "d"], names.Select(name => distinct[name]).ToArray());
    }

    [Fact]
    public void Four_groups_with_overlapping_ranges()
    {
        // 1-3, 1-4 and 2-4 differ: the not-different sets are {1,2}, {2,3}, {3,4}.
        var letters = CompactLetterDisplay.Letters(
            ["1", "2", "3", "4"],
            [Pair("1", "3", true), Pair("1", "4", true), Pair("2", "4", true), Pair("1", "2", false), Pair("2", "3", false), Pair("3", "4", false)]);

        Assert.Equal(["a", "ab", "bc", "c"], new[] { "1", "2", "3", "4" }.Select(n => letters[n]).ToArray());
    }

    [Fact]
    public void Shared_letter_means_not_different_for_random_patterns()
    {
        var random = new Random(2004);
        for (var trial = 0; trial < 300; trial++)
        {
            var k = random.Next(2, 8);
            var names = Enumerable.Range(0, k).Select(i => $"g{i}").ToArray();
            var comparisons = new List<PairwiseResult>();
            for (var i = 0; i < k; i++)
            {
                for (var j = i + 1; j < k; j++)
                {
                    comparisons.Add(Pair(names[i], names[j], random.NextDouble() < 0.5));
                }
            }

            var letters = CompactLetterDisplay.Letters(names, comparisons);

            Assert.StartsWith("a", letters[names[0]], StringComparison.Ordinal);
            foreach (var c in comparisons)
            {
                var share = letters[c.A].Intersect(letters[c.B]).Any();
                Assert.True(share != c.Different, $"trial {trial}: {c.A}={letters[c.A]} {c.B}={letters[c.B]} different={c.Different}");
            }
        }
    }

    [Fact]
    public void Works_on_a_real_comparison_and_rejects_unknown_names()
    {
        GroupCount[] groups = [new("best", 45, 50), new("mid", 37, 50), new("worst", 30, 50)];
        var results = PairwiseComparison.Compare(groups);

        var letters = CompactLetterDisplay.Letters(groups.Select(g => g.Name).ToArray(), results);

        // Holm-adjusted p (computed separately with exact fractions): best-mid 0.133, best-worst 0.0029, mid-worst 0.20.
        Assert.Equal("a", letters["best"]);
        Assert.Equal("ab", letters["mid"]);
        Assert.Equal("b", letters["worst"]);
        Assert.Equal("comparisons", Assert.Throws<ArgumentException>(
            () => CompactLetterDisplay.Letters(["A"], [Pair("A", "Z", true)])).ParamName);
    }

    private static PairwiseResult Pair(string a, string b, bool different) =>
        new(a, b, double.NaN, double.NaN, different ? 0.001 : 0.5, different ? 0.001 : 0.5, different);

    private static List<PairwiseResult> AllPairs(string[] names, bool different) =>
        [.. from i in Enumerable.Range(0, names.Length)
            from j in Enumerable.Range(i + 1, names.Length - i - 1)
            select Pair(names[i], names[j], different)];
}
