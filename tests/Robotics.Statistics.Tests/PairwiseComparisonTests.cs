namespace Robotics.Statistics.Tests;

public sealed class PairwiseComparisonTests
{
    [Fact]
    public void Compares_all_pairs_with_Fisher_and_Holm()
    {
        GroupCount[] groups = [new("A", 45, 50), new("B", 38, 50), new("C", 25, 50)];

        var results = PairwiseComparison.Compare(groups);

        Assert.Equal([("A", "B"), ("A", "C"), ("B", "C")], results.Select(r => (r.A, r.B)).ToArray());
        var raw = new[]
        {
            FisherExact.TwoSidedPValue(45, 50, 38, 50),
            FisherExact.TwoSidedPValue(45, 50, 25, 50),
            FisherExact.TwoSidedPValue(38, 50, 25, 50),
        };
        var adjusted = Holm.Adjust(raw);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(raw[i], results[i].PValue);
            Assert.Equal(adjusted[i], results[i].AdjustedPValue);
            Assert.Equal(adjusted[i] < 0.05, results[i].Different);
        }

        Assert.Equal(0.9, results[0].RateA, 1e-15);
        Assert.Equal(0.76, results[0].RateB, 1e-15);

        // 90% vs 76% on 50 episodes each is not a significant difference; 90% vs 50% is.
        Assert.False(results[0].Different);
        Assert.True(results[1].Different);
    }

    [Fact]
    public void Rejects_duplicate_names_and_bad_counts()
    {
        Assert.Equal("groups", Assert.Throws<ArgumentException>(
            () => PairwiseComparison.Compare([new("A", 1, 2), new("A", 1, 2)])).ParamName);
        Assert.Equal("Successes", Assert.Throws<ArgumentException>(() => new GroupCount("A", 3, 2)).ParamName);
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new GroupCount(" ", 1, 2)).ParamName);
        Assert.True(double.IsNaN(new GroupCount("empty", 0, 0).Rate));
    }
}
