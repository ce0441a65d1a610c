namespace Robotics.Detectors.Baselines;

/// <summary>
/// Every handcrafted SAFE baseline this library implements, by name, so evaluation code can loop over them. (Named
/// BaselineRegistry rather than Baselines: a type cannot share its name with the Robotics.Detectors.Baselines
/// namespace it lives beside.) RND needs a neural network and lives in the Torch project.
/// </summary>
public static class BaselineRegistry
{
    /// <summary>Fresh, unfitted instances of every baseline; <paramref name="actionDim"/> is for STAC.</summary>
    public static IReadOnlyList<IFailureScorer> All(int actionDim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionDim);
        var scorers = new List<IFailureScorer> { new MahalanobisScorer() };
        foreach (var metric in new[] { KnnMetric.Euclidean, KnnMetric.Cosine })
            foreach (var k in new[] { 1, 5, 10 })
                scorers.Add(new KnnDistanceScorer(metric, k));
        scorers.Add(new PcaKMeansScorer());
        scorers.Add(new StacScorer(actionDim));
        scorers.Add(new SampleVarianceScorer());
        scorers.Add(new SampleClusterEntropyScorer());
        return scorers;
    }

    /// <summary>A fresh instance of the baseline called <paramref name="name"/> (see <see cref="All"/> for names).</summary>
    public static IFailureScorer Create(string name, int actionDim) =>
        All(actionDim).FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException(
            $"unknown baseline '{name}'; known: {string.Join(", ", All(actionDim).Select(s => s.Name))}", nameof(name));
}
