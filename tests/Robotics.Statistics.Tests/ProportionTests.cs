namespace Robotics.Statistics.Tests;

public sealed class ProportionTests
{
    /// <summary>z_{0.975} from the normal table, independent of the library's quantile routine.</summary>
    private const double Z975 = 1.959963984540054;

    /// <summary>
    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat. Med. 17:857,
    /// Table II: method 3 (Wilson score) and method 5 (Clopper-Pearson exact), 95%, four decimals.
    /// </summary>
    public static TheoryData<int, int, double, double, double, double> Newcombe1998 => new()
    {
        { 81, 263, 0.2553, 0.3662, 0.2527, 0.3676 },
        { 15, 148, 0.0624, 0.1605, 0.0578, 0.1617 },
        { 0, 20, 0.0000, 0.1611, 0.0000, 0.1684 },
        { 1, 29, 0.0061, 0.1718, 0.0009, 0.1776 },
        { 29, 29, 0.8830, 1.0000, 0.8806, 1.0000 },
    };

    [Theory]
    [MemberData(nameof(Newcombe1998))]
    public void Wilson_and_ClopperPearson_match_Newcombe_1998_table(
        int k, int n, double wilsonLow, double wilsonHigh, double exactLow, double exactHigh)
    {
        var wilson = Proportion.Wilson(k, n);
        var exact = Proportion.ClopperPearson(k, n);

        Assert.Equal(wilsonLow, wilson.Low, 0.00005 + 1e-12);
        Assert.Equal(wilsonHigh, wilson.High, 0.00005 + 1e-12);
        Assert.Equal(exactLow, exact.Low, 0.00005 + 1e-12);
        Assert.Equal(exactHigh, exact.High, 0.00005 + 1e-12);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(9, 10)]
    [InlineData(10, 10)]
    [InlineData(37, 100)]
    public void Wilson_bounds_are_where_the_score_statistic_equals_z(int k, int n)
    {
        // The Wilson interval is {p : |k/n - p| / sqrt(p(1-p)/n) <= z}; each bound inside (0, 1) solves it with equality.
        var interval = Proportion.Wilson(k, n);
        var observed = (double)k / n;
        foreach (var bound in new[] { interval.Low, interval.High })
        {
            if (bound is 0 or 1)
            {
                Assert.Equal(observed, bound);
                continue;
            }

            var score = Math.Abs(observed - bound) / Math.Sqrt(bound * (1 - bound) / n);
            Assert.Equal(Z975, score, 1e-9);
        }

        Assert.True(interval.Contains(observed));
    }

    [Fact]
    public void ClopperPearson_all_or_nothing_has_closed_form_bounds()
    {
        // 0/10: P(X = 0 | U) = (1 - U)^10 = 0.025 gives U = 1 - 0.025^(1/10) = 0.30850; 10/10 mirrors it.
        var none = Proportion.ClopperPearson(0, 10);
        var all = Proportion.ClopperPearson(10, 10);

        Assert.Equal(0, none.Low);
        Assert.Equal(1 - Math.Pow(0.025, 0.1), none.High, 1e-12);
        Assert.Equal(0.30850, none.High, 0.000005);
        Assert.Equal(Math.Pow(0.025, 0.1), all.Low, 1e-12);
        Assert.Equal(1, all.High);
    }

    [Fact]
    public void ClopperPearson_keeps_relative_accuracy_for_rare_events()
    {
        // 1/10000: P(X >= 1 | L) = 1 - (1 - L)^n = 0.025 gives L = 1 - 0.975^(1/n), about 2.5e-6.
        const int n = 10_000;
        var interval = Proportion.ClopperPearson(1, n);
        var x = Math.Log(0.975) / n; // about -2.5e-6: expm1 by its series avoids cancellation
        var expectedLow = -(x + (x * x / 2) + (x * x * x / 6));

        Assert.Equal(expectedLow, interval.Low, expectedLow * 1e-8);

        // (n-1)/n: P(X <= n-1 | U) = 1 - U^n = 0.025 gives U = 0.975^(1/n).
        Assert.Equal(Math.Pow(0.975, 1.0 / n), Proportion.ClopperPearson(n - 1, n).High, 1e-12);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(7, 30)]
    [InlineData(81, 263)]
    public void ClopperPearson_bounds_put_alpha_over_two_in_each_binomial_tail(int k, int n)
    {
        var interval = Proportion.ClopperPearson(k, n);

        // Lower bound: P(X >= k | p = Low) = 0.025. Upper bound: P(X <= k | p = High) = 0.025.
        Assert.Equal(0.025, 1 - ExactBinomial.Cdf(k - 1, n, interval.Low), 1e-10);
        Assert.Equal(0.025, ExactBinomial.Cdf(k, n, interval.High), 1e-10);
    }

    [Fact]
    public void Exact_interval_is_wider_than_Wilson_and_both_shrink_with_n()
    {
        for (var n = 5; n <= 200; n += 15)
        {
            var k = (int)(0.3 * n);
            Assert.True(Proportion.ClopperPearson(k, n).Width > Proportion.Wilson(k, n).Width);
        }

        Assert.True(Proportion.Wilson(30, 100).Width < Proportion.Wilson(3, 10).Width);
    }

    [Fact]
    public void No_episodes_gives_the_uninformative_interval()
    {
        Assert.Equal(new Interval(0, 1), Proportion.Wilson(0, 0));
        Assert.Equal(new Interval(0, 1), Proportion.ClopperPearson(0, 0));
    }

    [Fact]
    public void Bad_arguments_are_rejected_naming_the_parameter()
    {
        Assert.Equal("successes", Assert.Throws<ArgumentException>(() => Proportion.Wilson(11, 10)).ParamName);
        Assert.Equal("successes", Assert.Throws<ArgumentException>(() => Proportion.ClopperPearson(-1, 10)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Proportion.Wilson(0, -1)).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentException>(() => Proportion.Wilson(1, 10, 1.0)).ParamName);
        Assert.Contains("must not exceed", Assert.Throws<ArgumentException>(() => Proportion.Wilson(11, 10)).Message, StringComparison.Ordinal);
    }
}
