namespace Robotics.Statistics.Tests;

public sealed class SampleSizeTests
{
    // Normal table quantiles, independent of the library's routine.
    private const double Z975 = 1.959963984540054;
    private const double Z80 = 0.8416212335729143;

    [Fact]
    public void Fifty_versus_sixty_five_percent_worked_by_hand()
    {
        // pbar = 0.575: sqrt(2 * 0.575 * 0.425) = 0.699106; sqrt(0.25 + 0.2275) = 0.691014.
        // n = (1.959964 * 0.699106 + 0.841621 * 0.691014)^2 / 0.15^2 = 1.951798^2 / 0.0225 = 169.311 -> 170.
        // Corrected: 169.311 / 4 * (1 + sqrt(1 + 4 / (169.311 * 0.15)))^2 = 182.401 -> 183.
        var n = Math.Pow((Z975 * Math.Sqrt(2 * 0.575 * 0.425)) + (Z80 * Math.Sqrt(0.25 + 0.2275)), 2) / 0.0225;
        Assert.Equal(169.311, n, 0.001);

        Assert.Equal(170, SampleSize.EpisodesPerArm(0.5, 0.65));
        Assert.Equal(170, SampleSize.EpisodesPerArm(0.65, 0.5));
        Assert.Equal(183, SampleSize.EpisodesPerArmContinuityCorrected(0.5, 0.65));
    }

    [Theory]
    // Hand evaluations of the same formulas (z = 1.959964, 0.841621):
    // 0.05 vs 0.10: n = 434.43 -> 435, corrected 473.59 -> 474 (the entry in Fleiss' table for these rates).
    [InlineData(0.05, 0.10, 435, 474)]
    // 0.30 vs 0.50: n = 92.999 -> 93, corrected 102.76 -> 103.
    [InlineData(0.30, 0.50, 93, 103)]
    // 0.60 vs 0.75: n = 151.87 -> 152, corrected 164.93 -> 165.
    [InlineData(0.60, 0.75, 152, 165)]
    public void Fleiss_formula_values(double p1, double p2, int uncorrected, int corrected)
    {
        Assert.Equal(uncorrected, SampleSize.EpisodesPerArm(p1, p2));
        Assert.Equal(corrected, SampleSize.EpisodesPerArmContinuityCorrected(p1, p2));
    }

    [Theory]
    [InlineData(0.5, 0.65, 0.8)]
    [InlineData(0.05, 0.10, 0.9)]
    [InlineData(0.7, 0.9, 0.8)]
    [InlineData(0.2, 0.6, 0.95)]
    public void Power_at_the_planned_size_reaches_the_target_and_one_fewer_falls_short(double p1, double p2, double target)
    {
        var n = SampleSize.EpisodesPerArm(p1, p2, power: target);

        Assert.True(SampleSize.Power(p1, p2, n) >= target);
        Assert.True(SampleSize.Power(p1, p2, n - 1) < target + 1e-4);
    }

    [Fact]
    public void Power_matches_normal_table_values()
    {
        // n = 170: (0.15 sqrt(170) - 1.959964 * 0.699106) / 0.691014 = 0.846 -> Phi = 0.8016 (plus ~1e-8 other tail).
        Assert.Equal(0.8016, SampleSize.Power(0.5, 0.65, 170), 0.0001);
        // n = 50: Phi((0.15 sqrt(50) - 1.370225) / 0.691014) = Phi(-0.4479) = 0.3271 (+0.0002 other tail).
        Assert.Equal(0.3273, SampleSize.Power(0.5, 0.65, 50), 0.0001);
        // Equal rates: the test's size.
        Assert.Equal(0.05, SampleSize.Power(0.4, 0.4, 100), 1e-12);
    }

    [Fact]
    public void Detectable_difference_inverts_the_sample_size()
    {
        // 170 per arm from 50% tells apart 15 points (the case above), but not much less.
        var d170 = SampleSize.DetectableDifference(0.5, 170);
        Assert.InRange(d170, 0.14, 0.15);
        Assert.True(SampleSize.EpisodesPerArm(0.5, 0.5 + d170) <= 170);
        Assert.True(SampleSize.EpisodesPerArm(0.5, 0.5 + d170 - 1e-6) > 170);

        // 50 episodes per arm from 50% only tells apart about 27 points (solving n(d) = 50 by hand-run bisection).
        Assert.Equal(0.26683, SampleSize.DetectableDifference(0.5, 50), 0.00001);

        // Nothing above 100% can be detected.
        Assert.True(double.IsNaN(SampleSize.DetectableDifference(0.99, 5)));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Equal("p2", Assert.Throws<ArgumentException>(() => SampleSize.EpisodesPerArm(0.5, 0.5)).ParamName);
        Assert.Equal("p1", Assert.Throws<ArgumentException>(() => SampleSize.EpisodesPerArm(1.2, 0.5)).ParamName);
        Assert.Equal("power", Assert.Throws<ArgumentException>(() => SampleSize.EpisodesPerArm(0.2, 0.5, power: 1)).ParamName);
        Assert.Equal("nPerArm", Assert.Throws<ArgumentException>(() => SampleSize.Power(0.2, 0.5, 0)).ParamName);
    }
}
