using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Robotics.Statistics;
using Robotics.Core.Randomness;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// PCA-KMeans (as in SAFE's baselines): successful training features are projected onto their leading principal
/// components and summarised by k-means centroids; a call's score is its distance to the nearest centroid in that
/// space. Defaults (32 components, 16 clusters) are this library's choice: enough components to keep most of the
/// variance of 64-512-wide pooled features, few enough clusters that each holds many calls. Both are capped by the
/// number of training calls. k-means uses k-means++ seeding from <see cref="SplitMix64"/> and at most 100 Lloyd
/// iterations; an emptied cluster keeps its previous centroid. Eigenvector signs are fixed (largest entry positive)
/// so that a fit is reproducible.
/// </summary>
public sealed class PcaKMeansScorer : FeatureDistanceScorer
{
    private double[] _mean = [];
    private Matrix<double>? _components;
    private double[][] _centroids = [];

    public PcaKMeansScorer(int components = 32, int clusters = 16, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clusters);
        Components = components;
        Clusters = clusters;
        Seed = seed;
    }

    public int Components { get; }

    public int Clusters { get; }

    public long Seed { get; }

    public override string Name => "pca-kmeans";

    protected override void FitReference(double[][] features)
    {
        var n = features.Length;
        var p = features[0].Length;
        _mean = new double[p];
        foreach (var row in features)
            for (var j = 0; j < p; j++)
                _mean[j] += row[j] / n;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => features[i][j] - _mean[j]);
        var covariance = x.TransposeThisAndMultiply(x) / Math.Max(1, n - 1);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, p).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var d = Math.Min(Components, Math.Min(p, n));
        _components = Matrix<double>.Build.Dense(p, d);
        for (var c = 0; c < d; c++)
        {
            var v = evd.EigenVectors.Column(order[c]);
            var sign = v[v.AbsoluteMaximumIndex()] < 0 ? -1.0 : 1.0;
            _components.SetColumn(c, v * sign);
        }

        var projected = features.Select(Project).ToArray();
        _centroids = KMeans(projected, Math.Min(Clusters, n), new SplitMix64(Seed));
    }

    protected override double Distance(double[] feature)
    {
        var z = Project(feature);
        return Math.Sqrt(_centroids.Min(c => SquaredDistance(z, c)));
    }

    private double[] Project(double[] feature)
    {
        var centred = Vector<double>.Build.Dense(feature.Length, i => feature[i] - _mean[i]);
        return (_components!.TransposeThisAndMultiply(centred)).ToArray();
    }

    private static double[][] KMeans(double[][] points, int k, SplitMix64 random)
    {
        // k-means++: first centre uniform, then each next one with probability proportional to squared distance.
        var centroids = new List<double[]> { (double[])points[random.NextInt(points.Length)].Clone() };
        var nearest = points.Select(pt => SquaredDistance(pt, centroids[0])).ToArray();
        while (centroids.Count < k)
        {
            var total = nearest.Sum();
            if (total <= 0)
                break;   // fewer distinct points than clusters
            var target = random.NextDouble() * total;
            var pick = 0;
            for (var acc = nearest[0]; acc <= target && pick < points.Length - 1; acc += nearest[++pick])
            {
            }

            centroids.Add((double[])points[pick].Clone());
            for (var i = 0; i < points.Length; i++)
                nearest[i] = Math.Min(nearest[i], SquaredDistance(points[i], centroids[^1]));
        }

        var assignment = new int[points.Length];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var changed = false;
            for (var i = 0; i < points.Length; i++)
            {
                var best = 0;
                for (var c = 1; c < centroids.Count; c++)
                    if (SquaredDistance(points[i], centroids[c]) < SquaredDistance(points[i], centroids[best]))
                        best = c;
                changed |= best != assignment[i] || iteration == 0;
                assignment[i] = best;
            }

            if (!changed)
                break;
            for (var c = 0; c < centroids.Count; c++)
            {
                var members = Enumerable.Range(0, points.Length).Where(i => assignment[i] == c).ToArray();
                if (members.Length == 0)
                    continue;
                centroids[c] = Enumerable.Range(0, points[0].Length).Select(j => members.Average(i => points[i][j])).ToArray();
            }
        }

        return centroids.ToArray();
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
