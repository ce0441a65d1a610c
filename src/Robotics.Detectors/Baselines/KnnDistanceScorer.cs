namespace Robotics.Detectors.Baselines;

/// <summary>
/// k-nearest-neighbour distance to the successful training features: the mean distance to the k closest training
/// calls (SAFE's definition, which is smoother than the k-th distance alone). Exact search over the whole reference
/// set, so the cost per call is (reference calls) x (feature width).
/// </summary>
public sealed class KnnDistanceScorer : FeatureDistanceScorer
{
    private double[][] _reference = [];

    public KnnDistanceScorer(KnnMetric metric, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (!Enum.IsDefined(metric))
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric");
        Metric = metric;
        K = k;
    }

    public KnnMetric Metric { get; }

    public int K { get; }

    public override string Name => $"knn-{(Metric == KnnMetric.Euclidean ? "euclidean" : "cosine")}-{K}";

    protected override void FitReference(double[][] features)
    {
        if (features.Length < K)
            throw new ArgumentException($"{Name} needs at least {K} successful training calls, got {features.Length}", nameof(features));
        _reference = Metric == KnnMetric.Cosine ? features.Select(Normalised).ToArray() : features;
    }

    protected override double Distance(double[] feature)
    {
        var query = Metric == KnnMetric.Cosine ? Normalised(feature) : feature;
        var nearest = new double[K];
        Array.Fill(nearest, double.PositiveInfinity);
        foreach (var row in _reference)
        {
            var d = Metric == KnnMetric.Cosine ? 1 - FeatureVectors.Dot(query, row) : Math.Sqrt(FeatureVectors.SquaredDistance(query, row));
            if (d >= nearest[K - 1])
                continue;
            var i = K - 1;
            for (; i > 0 && nearest[i - 1] > d; i--)
                nearest[i] = nearest[i - 1];
            nearest[i] = d;
        }

        return nearest.Average();
    }

    private static double[] Normalised(double[] v)
    {
        var norm = Math.Sqrt(FeatureVectors.Dot(v, v)) + 1e-8;
        return v.Select(x => x / norm).ToArray();
    }
}
