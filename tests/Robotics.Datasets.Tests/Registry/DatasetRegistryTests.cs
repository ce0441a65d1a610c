using Robotics.Datasets.Registry;

namespace Robotics.Datasets.Tests.Registry;

public sealed class DatasetRegistryTests
{
    [Theory]
    [InlineData("maze2d-umaze-v1", 23.85, 0.0)]
    [InlineData("maze2d-umaze-v1", 161.86, 100.0)]
    [InlineData("maze2d-large-dense-v1", 30.569041, 0.0)]
    [InlineData("hopper-medium-v2", 3234.3, 100.0)]
    [InlineData("halfcheetah-expert-v2", -280.178953, 0.0)]
    [InlineData("antmaze-umaze-v0", 0.5, 50.0)]
    public void Normalized_scores_use_the_reference_table(string name, double score, double expected) =>
        Assert.Equal(expected, DatasetRegistry.Default.NormalizedScore(name, score), 9);

    [Fact]
    public void Walker_mid_score_matches_the_formula() =>
        Assert.Equal(100 * (2000 - 1.629008) / (4592.3 - 1.629008), DatasetRegistry.Default.NormalizedScore("walker2d-medium-replay-v2", 2000), 9);

    [Fact]
    public void Unknown_names_are_reported_with_the_known_ones()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => DatasetRegistry.Default.Find("ant-v9"));
        Assert.Contains("maze2d-umaze-v1", e.Message);
        Assert.Equal(800, DatasetRegistry.Default.Find("maze2d-large-v1").MaxEpisodeSteps);
    }
}
