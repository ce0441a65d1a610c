namespace Robotics.Statistics.Tests;

public sealed class MeanEstimateTests
{
    [Fact]
    public void StudentT_matches_the_hand_computed_interval_for_one_to_five()
    {
        // Mean 3, s = sqrt(2.5), t_{0.975,4} = 2.776445 (t table): half-width 2.776445 * sqrt(2.5/5) = 1.963243.
        var (mean, interval) = MeanEstimate.StudentT([1, 2, 3, 4, 5]);

        Assert.Equal(3, mean, 1e-15);
        Assert.Equal(3 - 1.963243, interval.Low, 1e-6);
        Assert.Equal(3 + 1.963243, interval.High, 1e-6);
    }

    [Fact]
    public void StudentT_needs_two_values_for_an_interval()
    {
        var (mean, interval) = MeanEstimate.StudentT([4.5]);
        var (emptyMean, _) = MeanEstimate.StudentT([]);

        Assert.Equal(4.5, mean);
        Assert.True(double.IsNaN(interval.Low) && double.IsNaN(interval.High));
        Assert.True(double.IsNaN(emptyMean));
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => MeanEstimate.StudentT([1, double.NaN])).ParamName);
    }

    [Fact]
    public void Bootstrap_is_deterministic_for_a_seed()
    {
        double[] values = [0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 1.0];

        var first = MeanEstimate.Bootstrap(values, Mean, seed: 42);
        var again = MeanEstimate.Bootstrap(values, Mean, seed: 42);
        var other = MeanEstimate.Bootstrap(values, Mean, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(first.Low < 0.55 && first.High > 0.55);
    }

    [Fact]
    public void Bootstrap_of_the_mean_of_a_large_normal_sample_is_close_to_the_t_interval()
    {
        var random = new Random(7);
        var values = new double[2000];
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller, mean 10, sd 2.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = 10 + (2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        var (_, t) = MeanEstimate.StudentT(values);
        var bootstrap = MeanEstimate.Bootstrap(values, Mean, resamples: 4000, seed: 1);

        Assert.Equal(t.Low, bootstrap.Low, 0.1 * t.Width);
        Assert.Equal(t.High, bootstrap.High, 0.1 * t.Width);
    }

    [Fact]
    public void Bootstrap_of_constant_data_is_a_point_and_bad_input_is_rejected()
    {
        Assert.Equal(new Interval(3, 3), MeanEstimate.Bootstrap([3, 3, 3], Mean, resamples: 50));
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => MeanEstimate.Bootstrap([], Mean)).ParamName);
        Assert.Equal("resamples", Assert.Throws<ArgumentException>(() => MeanEstimate.Bootstrap([1, 2], Mean, resamples: 1)).ParamName);
        Assert.Throws<InvalidOperationException>(() => MeanEstimate.Bootstrap([1, 2], _ => double.NaN));
    }

    private static double Mean(IReadOnlyList<double> values) => values.Average();
}
