namespace Robotics.Statistics.Tests;

public sealed class BetaPosteriorTests
{
    [Fact]
    public void FromCounts_adds_successes_and_failures_to_the_prior()
    {
        var uniform = BetaPosterior.FromCounts(7, 10);
        var jeffreys = BetaPosterior.FromCounts(7, 10, 0.5, 0.5);

        Assert.Equal(new BetaPosterior(8, 4), uniform);
        Assert.Equal(8.0 / 12, uniform.Mean, 1e-15); // Laplace's rule of succession, (k+1)/(n+2)
        Assert.Equal(new BetaPosterior(7.5, 3.5), jeffreys);
    }

    [Fact]
    public void Credible_interval_has_closed_form_and_binomial_identities()
    {
        // Beta(1,1) is uniform: the equal-tailed 95% interval is [0.025, 0.975].
        var uniform = new BetaPosterior(1, 1).CredibleInterval();
        Assert.Equal(0.025, uniform.Low, 1e-12);
        Assert.Equal(0.975, uniform.High, 1e-12);

        // Beta(a,1) has CDF x^a, so its q-quantile is q^(1/a).
        var power = new BetaPosterior(4, 1).CredibleInterval(0.9);
        Assert.Equal(Math.Pow(0.05, 0.25), power.Low, 1e-12);
        Assert.Equal(Math.Pow(0.95, 0.25), power.High, 1e-12);

        // Integer shapes: I_x(a, b) = P(Binomial(a+b-1, x) >= a).
        var posterior = BetaPosterior.FromCounts(2, 10); // Beta(3, 9)
        var interval = posterior.CredibleInterval();
        Assert.Equal(0.025, 1 - ExactBinomial.Cdf(2, 11, interval.Low), 1e-10);
        Assert.Equal(0.975, 1 - ExactBinomial.Cdf(2, 11, interval.High), 1e-10);
    }

    [Fact]
    public void Density_matches_hand_values_and_survives_large_counts()
    {
        // Beta(2,3): 1/B(2,3) = 12, density 12 x (1-x)^2.
        var small = new BetaPosterior(2, 3);
        Assert.Equal(12 * 0.4 * 0.36, small.Density(0.4), 1e-12);
        Assert.Equal(0, small.Density(-0.1));
        Assert.Equal(0, small.Density(1.5));
        Assert.Equal(3, new BetaPosterior(1, 3).Density(0), 1e-12); // 1/B(1,3) = 3
        Assert.True(double.IsPositiveInfinity(new BetaPosterior(0.5, 0.5).Density(0)));

        // Beta(5001, 5001) at its mode is nearly normal with sd sqrt(1/4/10003): density 1/(sd sqrt(2 pi)).
        var large = new BetaPosterior(5001, 5001);
        var sd = Math.Sqrt(0.25 / 10003);
        Assert.Equal(1 / (sd * Math.Sqrt(2 * Math.PI)), large.Density(0.5), 0.1);
    }

    [Theory]
    [InlineData(2, 1, 1, 1, 2.0 / 3)]   // E[X] for X ~ Beta(2,1) vs uniform: a/(a+1)
    [InlineData(1, 1, 1, 2, 2.0 / 3)]   // integral of 1 - (1-x)^2 over [0, 1]
    [InlineData(1, 1, 1, 1, 0.5)]
    [InlineData(1, 1, 2, 1, 1.0 / 3)]
    public void ProbabilityGreater_matches_hand_computed_cases(double aa, double ab, double ba, double bb, double expected)
    {
        var a = new BetaPosterior(aa, ab);
        var b = new BetaPosterior(ba, bb);

        Assert.Equal(expected, BetaPosterior.ProbabilityGreater(a, b), 1e-12);
        Assert.Equal(expected, BetaPosterior.NumericalGreater(a, b), 1e-9);
    }

    [Theory]
    [InlineData(2.5, 1)]  // P(Beta(a,1) > U) = E[X] = a/(a+1), non-integer a
    [InlineData(0.5, 1)]  // density singular at 0
    [InlineData(0.2, 1)]  // strongly singular at 0
    [InlineData(0.5, 0.5)] // arcsine: singular at both ends, mean 1/2
    public void Numerical_integration_handles_non_integer_and_singular_shapes(double a, double b)
    {
        var x = new BetaPosterior(a, b);
        var uniform = new BetaPosterior(1, 1);

        // P(X > U) = E[X] = a / (a + b) for U uniform and independent.
        Assert.Equal(a / (a + b), BetaPosterior.NumericalGreater(x, uniform), 1e-9);
        Assert.Equal(a / (a + b), BetaPosterior.ProbabilityGreater(x, uniform), 1e-12);
        Assert.Equal(b / (a + b), BetaPosterior.NumericalGreater(uniform, x), 1e-9);
    }

    [Theory]
    [InlineData(8, 10, 5, 10)]
    [InlineData(3, 20, 9, 20)]
    [InlineData(480, 1000, 510, 1000)]
    [InlineData(45, 50, 20, 50)]
    [InlineData(0, 5, 5, 5)]
    [InlineData(0, 2, 2, 2)]
    public void Closed_form_and_numerical_integration_agree(int kA, int nA, int kB, int nB)
    {
        var a = BetaPosterior.FromCounts(kA, nA);
        var b = BetaPosterior.FromCounts(kB, nB);
        var closed = BetaPosterior.ClosedFormGreater(a, b);

        Assert.Equal(closed, BetaPosterior.NumericalGreater(a, b), 1e-6);
        Assert.Equal(1 - closed, BetaPosterior.ClosedFormGreater(b, a), 1e-9);

        // Jeffreys prior on A (non-integer alpha) forces the closed form through B.
        var aJeffreys = BetaPosterior.FromCounts(kA, nA, 0.5, 0.5);
        Assert.Equal(BetaPosterior.NumericalGreater(aJeffreys, b), BetaPosterior.ProbabilityGreater(aJeffreys, b), 1e-6);
        var bJeffreys = BetaPosterior.FromCounts(kB, nB, 0.5, 0.5);
        Assert.Equal(1 - BetaPosterior.ClosedFormGreater(a, bJeffreys), BetaPosterior.NumericalGreater(bJeffreys, a), 1e-6);
    }

    [Theory]
    [InlineData(0, 1000, 2, 1000)]   // rare failures: density singular at 0 and sharply peaked
    [InlineData(1000, 1000, 990, 1000)]
    [InlineData(3, 7, 0, 1)]
    public void Numerical_integration_with_Jeffreys_priors_is_consistent(int kA, int nA, int kB, int nB)
    {
        var a = BetaPosterior.FromCounts(kA, nA, 0.5, 0.5);
        var b = BetaPosterior.FromCounts(kB, nB, 0.5, 0.5);
        var bUniform = BetaPosterior.FromCounts(kB, nB);

        // Two orders integrate different functions; the probabilities must still sum to one.
        Assert.Equal(1, BetaPosterior.NumericalGreater(a, b) + BetaPosterior.NumericalGreater(b, a), 1e-8);

        // Against the closed form through an integer-shaped opponent.
        Assert.Equal(1 - BetaPosterior.ClosedFormGreater(bUniform, a), BetaPosterior.NumericalGreater(a, bUniform), 1e-8);
    }

    [Fact]
    public void Symmetric_posteriors_are_a_coin_flip()
    {
        var a = BetaPosterior.FromCounts(13, 40);
        var jeffreys = BetaPosterior.FromCounts(13, 40, 0.5, 0.5);
        var arcsine = new BetaPosterior(0.5, 0.5);

        Assert.Equal(0.5, BetaPosterior.ProbabilityGreater(a, a with { }), 1e-12);
        Assert.Equal(0.5, BetaPosterior.ProbabilityGreater(jeffreys, jeffreys), 1e-9);
        Assert.Equal(0.5, BetaPosterior.ProbabilityGreater(arcsine, arcsine), 1e-9);
    }

    [Fact]
    public void Invalid_shapes_are_rejected()
    {
        Assert.Equal("Alpha", Assert.Throws<ArgumentException>(() => new BetaPosterior(0, 1)).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => new BetaPosterior(1, double.NaN)).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentException>(() => new BetaPosterior(1, 1) with { Beta = -2 }).ParamName);
        Assert.Equal("priorAlpha", Assert.Throws<ArgumentException>(() => BetaPosterior.FromCounts(1, 2, priorAlpha: 0)).ParamName);
        Assert.Equal("successes", Assert.Throws<ArgumentException>(() => BetaPosterior.FromCounts(3, 2)).ParamName);
    }
}
