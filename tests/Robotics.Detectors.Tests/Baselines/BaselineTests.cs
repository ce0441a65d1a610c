using Xunit.Abstractions;
using Robotics.Detectors.Baselines;
using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;
using Robotics.Detectors.Tests.Support;

namespace Robotics.Detectors.Tests.Baselines;

public sealed class BaselineTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() =>
        new(BaselineRegistry.All(SyntheticRollouts.ActionDim).Select(s => s.Name));

    [Fact]
    public void Registry_lists_every_baseline_by_a_unique_name()
    {
        var names = BaselineRegistry.All(2).Select(s => s.Name).ToArray();
        Assert.Equal(
            ["mahalanobis", "knn-euclidean-1", "knn-euclidean-5", "knn-euclidean-10", "knn-cosine-1", "knn-cosine-5",
             "knn-cosine-10", "pca-kmeans", "stac", "sample-variance", "sample-cluster-entropy"],
            names);
        Assert.Equal(7, ((StacScorer)BaselineRegistry.Create("stac", 7)).ActionDim);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => BaselineRegistry.Create("rnd", 2)).ParamName);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Separates_failures_that_drift_away_from_the_successes(string name)
    {
        var auc = Auc(name, separable: true, seed: 1);
        output.WriteLine($"{name}: separable ROC-AUC {auc:F3}");
        Assert.True(auc > 0.9, $"{name}: ROC-AUC {auc:F3} on separable failures");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Is_near_chance_when_failures_look_like_successes(string name)
    {
        var auc = Auc(name, separable: false, seed: 2);
        output.WriteLine($"{name}: indistinguishable ROC-AUC {auc:F3}");
        Assert.InRange(auc, 0.35, 0.65);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Is_deterministic_and_ignores_failed_training_rollouts(string name)
    {
        var train = SyntheticRollouts.Make(3, 20, 10, separable: true);
        var test = SyntheticRollouts.Make(4, 5, 5, separable: true);
        var a = BaselineRegistry.Create(name, SyntheticRollouts.ActionDim);
        var b = BaselineRegistry.Create(name, SyntheticRollouts.ActionDim);
        a.Fit(train);
        b.Fit(train.Where(r => r.Success).Reverse().ToArray());
        foreach (var rollout in test)
        {
            var curve = a.Scores(rollout);
            Assert.Equal(rollout.Calls, curve.Length);
            Assert.All(curve, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(curve, a.Scores(rollout));
            var other = b.Scores(rollout);
            for (var t = 0; t < curve.Length; t++)
                Assert.Equal(curve[t], other[t], 1e-9);
        }
    }

    [Fact]
    public void Missing_chunk_fields_are_named_in_the_error()
    {
        var train = SyntheticRollouts.Make(5, 10, 0, separable: false);
        var bare = train[0] with { ExecutedChunks = null, SampledChunks = null };
        var stac = new StacScorer(SyntheticRollouts.ActionDim);
        stac.Fit(train);
        Assert.Contains("ExecutedChunks", Assert.Throws<InvalidOperationException>(() => stac.Scores(bare)).Message);
        var variance = new SampleVarianceScorer();
        variance.Fit(train);
        Assert.Contains("SampledChunks", Assert.Throws<InvalidOperationException>(() => variance.Scores(bare)).Message);
        Assert.Contains("SampledChunks", Assert.Throws<InvalidOperationException>(() => new SampleClusterEntropyScorer().Fit([bare])).Message);
        Assert.Throws<ArgumentException>(() => new StacScorer(3).Fit(train));   // 32-value chunks are not 3-wide actions
    }

    [Fact]
    public void Fitting_needs_successful_rollouts_and_scoring_needs_a_fit()
    {
        var failures = SyntheticRollouts.Make(6, 0, 5, separable: true);
        Assert.Throws<ArgumentException>(() => new MahalanobisScorer().Fit(failures));
        Assert.Throws<ArgumentException>(() => new KnnDistanceScorer(KnnMetric.Euclidean, 5).Fit(failures));
        Assert.Throws<InvalidOperationException>(() => new KnnDistanceScorer(KnnMetric.Cosine, 1).Scores(failures[0]));
        Assert.Throws<InvalidOperationException>(() => new StacScorer(2).Scores(failures[0]));
    }

    [Fact]
    public void Mahalanobis_shrinks_more_when_samples_are_few()
    {
        var random = new Random(8);
        double[][] Rows(int n) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 64).Select(j => (j % 8 + 1) * random.NextDouble()).ToArray()).ToArray();
        var few = MahalanobisScorer.LedoitWolf(Rows(20)).Shrinkage;
        var many = MahalanobisScorer.LedoitWolf(Rows(5000)).Shrinkage;
        Assert.True(few > many, $"shrinkage {few} with 20 rows vs {many} with 5000");
        Assert.InRange(few, 0, 1);
    }

    [Fact]
    public void Ledoit_wolf_matches_numpy()
    {
        var random = new Random(9);
        var rows = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 8).Select(j => random.NextDouble() * (j + 1)).ToArray()).ToArray();
        var (covariance, _, shrinkage) = MahalanobisScorer.LedoitWolf(rows);
        var reference = PythonReference.Run("ledoit_wolf_reference.py", new { rows });
        Assert.Equal(reference.GetProperty("shrinkage").GetDouble(), shrinkage, 12);
        var expected = reference.GetProperty("covariance").EnumerateArray().Select(PythonReference.Doubles).ToArray();
        for (var i = 0; i < 8; i++)
            for (var j = 0; j < 8; j++)
                Assert.Equal(expected[i][j], covariance[i, j], 12);
    }

    /// <summary>Test sets are 40 + 40 when separable and 100 + 100 otherwise (ROC-AUC sd about 0.04 under chance).</summary>
    private static double Auc(string name, bool separable, int seed)
    {
        var train = SyntheticRollouts.Make(seed, 30, 10, separable);
        var perClass = separable ? 40 : 100;
        var test = SyntheticRollouts.Make(seed + 100, perClass, perClass, separable);
        var scorer = BaselineRegistry.Create(name, SyntheticRollouts.ActionDim);
        scorer.Fit(train);
        var curves = test.Select(scorer.Scores).ToArray();
        return DetectionMetrics.RocAuc(DetectionMetrics.ProtocolScores(test, curves), test.Select(r => r.Failed).ToArray());
    }
}
