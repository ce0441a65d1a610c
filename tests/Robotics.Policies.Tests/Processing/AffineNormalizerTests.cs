using Robotics.Datasets.Statistics;
using Robotics.Policies.Configuration;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Tests.Processing;

public sealed class AffineNormalizerTests
{
    // Column 0 is ordinary data with one outlier (a collision spike); column 1 never varies.
    private static readonly float[][] Rows = [[0.1f, 3f], [-0.1f, 3f], [0.2f, 3f], [-0.2f, 3f], [10f, 3f]];

    private static FeatureStatistics Stats()
    {
        var accumulator = new StatisticsAccumulator("x", [2]);
        accumulator.Add(Rows.SelectMany(r => r).ToArray());
        return accumulator.Result();
    }

    [Fact]
    public void MinMaxMapsTheObservedRangeOntoMinusOneToOne()
    {
        var n = AffineNormalizer.Create(AffineNormalizer.MinMax, Stats());
        var z = n.Normalize([-0.2f, 3f, 10f, 3f]);
        Assert.Equal(-1f, z[0], 5);
        Assert.Equal(1f, z[2], 5);
        Assert.Equal(0f, z[1]);
    }

    [Fact]
    public void MeanStdStandardisesSoAnOutlierDoesNotSquashOrdinaryValues()
    {
        var stats = Stats();
        var minMax = AffineNormalizer.Create(AffineNormalizer.MinMax, stats);
        var meanStd = AffineNormalizer.Create(AffineNormalizer.MeanStd, stats);
        var column = Rows.Select(r => meanStd.Normalize(r)[0]).ToArray();
        double mean = column.Average();
        double std = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, std, 4);
        // The spread between 0.1 and 0.2 stays readable: larger under mean_std than under min_max.
        float Spread(AffineNormalizer n) => n.Normalize([0.2f, 3f])[0] - n.Normalize([0.1f, 3f])[0];
        Assert.True(Spread(meanStd) > Spread(minMax), $"{Spread(meanStd)} vs {Spread(minMax)}");
    }

    [Theory]
    [InlineData(AffineNormalizer.MinMax)]
    [InlineData(AffineNormalizer.MeanStd)]
    public void RoundTripsAndKeepsConstantElementsConstant(string mode)
    {
        var n = AffineNormalizer.Create(mode, Stats());
        float[] values = [0.15f, 3f, -0.05f, 3f];
        var back = n.Unnormalize(n.Normalize(values));
        for (int i = 0; i < values.Length; i++)
            Assert.Equal(values[i], back[i], 5);
        Assert.Equal(3f, n.Unnormalize([123f, 456f])[1]);
    }

    [Fact]
    public void UnknownModeIsRejectedByNameInConfigAndFactory()
    {
        var config = ToyTasks.Config();
        config.StateNormalization = "z_score";
        var error = Assert.Throws<InvalidPolicyConfigException>(() => config.EnsureValid());
        Assert.Contains("state_normalization", error.Message);
        Assert.Contains("z_score", error.Message);
        Assert.Throws<ArgumentException>(() => AffineNormalizer.Create("z_score", Stats()));
    }

    [Fact]
    public void ProcessorUsesTheConfiguredModeForStatesOnly()
    {
        var episodes = ToyTasks.Episodes(6, 20, seed: 3);
        var stats = ToyTasks.Stats(episodes);
        var config = ToyTasks.Config();
        config.StateNormalization = AffineNormalizer.MeanStd;
        var processor = new PolicyProcessor(config, stats);
        var state = processor.NormalizeState([(float)stats.State.Mean[0], (float)stats.State.Mean[1]]);
        Assert.Equal(0f, state[0], 4);
        Assert.Equal(0f, state[1], 4);
        var action = processor.NormalizeActions([(float)stats.Action.Max[0], (float)stats.Action.Min[1]]);
        Assert.Equal(1f, action[0], 4);
        Assert.Equal(-1f, action[1], 4);
    }
}
