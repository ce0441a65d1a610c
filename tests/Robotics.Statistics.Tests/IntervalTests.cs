namespace Robotics.Statistics.Tests;

public sealed class IntervalTests
{
    [Fact]
    public void Width_and_Contains_treat_the_interval_as_closed()
    {
        var interval = new Interval(0.25, 0.75);

        Assert.Equal(0.5, interval.Width, 1e-15);
        Assert.True(interval.Contains(0.25));
        Assert.True(interval.Contains(0.75));
        Assert.True(interval.Contains(0.5));
        Assert.False(interval.Contains(0.2));
        Assert.False(interval.Contains(0.8));
        Assert.False(new Interval(double.NaN, double.NaN).Contains(0.5));
    }
}
