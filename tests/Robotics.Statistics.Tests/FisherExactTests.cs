using System.Numerics;

namespace Robotics.Statistics.Tests;

public sealed class FisherExactTests
{
    [Fact]
    public void Tea_tasting_table_gives_34_over_70()
    {
        // Fisher's lady tasting tea: 3 of 4 milk-first cups named right, 1 of 4 tea-first named milk-first.
        // Hypergeometric weights of x = 0..4 are 1, 16, 36, 16, 1 out of 70; tables no likelier than x = 3: 1+16+16+1.
        Assert.Equal(34.0 / 70, FisherExact.TwoSidedPValue(3, 4, 1, 4), 1e-12);
        Assert.Equal(0.4857, FisherExact.TwoSidedPValue(3, 4, 1, 4), 0.00005);
    }

    [Theory]
    [InlineData(1, 12, 9, 12)]      // Wikipedia's dieting example, two-sided p = 0.002759
    [InlineData(45, 60, 30, 60)]
    [InlineData(7, 12, 2, 15)]
    [InlineData(0, 20, 3, 20)]
    [InlineData(50, 50, 44, 50)]
    [InlineData(13, 40, 21, 35)]
    [InlineData(3, 10, 7, 10)]      // mirror-image tables tie exactly with the observed one
    public void Matches_exact_rational_sum_of_hypergeometric_terms(int kA, int nA, int kB, int nB)
    {
        Assert.Equal(ExactRational(kA, nA, kB, nB), FisherExact.TwoSidedPValue(kA, nA, kB, nB), 1e-12);
    }

    [Fact]
    public void Known_value_and_degenerate_tables()
    {
        Assert.Equal(0.002759, FisherExact.TwoSidedPValue(1, 12, 9, 12), 0.0000005);
        Assert.Equal(1, FisherExact.TwoSidedPValue(5, 10, 5, 10), 1e-12);
        Assert.Equal(1, FisherExact.TwoSidedPValue(0, 0, 3, 7));
        Assert.Equal(1, FisherExact.TwoSidedPValue(10, 10, 7, 7));
        Assert.Equal("successesB", Assert.Throws<ArgumentException>(() => FisherExact.TwoSidedPValue(1, 2, 5, 4)).ParamName);
    }

    /// <summary>The two-sided p-value with exact integer arithmetic: all tables share the denominator C(N, m).</summary>
    private static double ExactRational(int kA, int nA, int kB, int nB)
    {
        var m = kA + kB;
        var weights = new Dictionary<int, BigInteger>();
        for (var x = Math.Max(0, m - nB); x <= Math.Min(nA, m); x++)
        {
            weights[x] = Choose(nA, x) * Choose(nB, m - x);
        }

        var observed = weights[kA];
        var extreme = weights.Values.Where(w => w <= observed).Aggregate(BigInteger.Zero, (s, w) => s + w);
        return Math.Exp(BigInteger.Log(extreme) - BigInteger.Log(Choose(nA + nB, m)));
    }

    private static BigInteger Choose(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
