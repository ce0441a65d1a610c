using MathNet.Numerics.LinearAlgebra;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// Mahalanobis distance to the successful training features. Policy features are 64-512 wide and often come from
/// fewer calls than that, where the sample covariance is singular; the covariance is therefore shrunk towards a
/// scaled identity with the Ledoit-Wolf (2004) optimal weight (the same estimator as sklearn's LedoitWolf), plus a
/// 1e-6 relative ridge so that constant features still give an invertible matrix. (SAFE's public code adds 1e-4 I
/// to the plain sample covariance instead.)
/// </summary>
public sealed class MahalanobisScorer : FeatureDistanceScorer
{
    private double[] _mean = [];
    private double[][] _precision = [];

    public override string Name => "mahalanobis";

    /// <summary>The Ledoit-Wolf shrinkage weight chosen at the last fit (0 = sample covariance, 1 = scaled identity).</summary>
    public double Shrinkage { get; private set; }

    protected override void FitReference(double[][] features)
    {
        var (covariance, mean, shrinkage) = LedoitWolf(features);
        _mean = mean;
        Shrinkage = shrinkage;
        var p = mean.Length;
        var ridge = 1e-6 * covariance.Diagonal().Average() + 1e-12;
        var regularised = covariance + ridge * Matrix<double>.Build.DenseIdentity(p);
        var precision = regularised.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(p));
        _precision = Enumerable.Range(0, p).Select(i => precision.Row(i).ToArray()).ToArray();
    }

    protected override double Distance(double[] feature)
    {
        var d = new double[feature.Length];
        for (var i = 0; i < d.Length; i++)
            d[i] = feature[i] - _mean[i];
        var quadratic = 0.0;
        for (var i = 0; i < d.Length; i++)
            quadratic += d[i] * FeatureVectors.Dot(_precision[i], d);
        return Math.Sqrt(Math.Max(0, quadratic));
    }

    /// <summary>
    /// The Ledoit-Wolf shrunk covariance (1 - s) S + s mu I of rows X, with S the biased (1/n) sample covariance,
    /// mu = trace(S) / p, and s = min(beta, delta) / delta where delta = ||S - mu I||_F^2 / p and
    /// beta = (sum_k ||x_k||^4 / n - ||S||_F^2) / (n p) on centred rows x_k.
    /// </summary>
    public static (Matrix<double> Covariance, double[] Mean, double Shrinkage) LedoitWolf(double[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
            throw new ArgumentException("no rows", nameof(rows));
        var n = rows.Length;
        var p = rows[0].Length;
        var mean = new double[p];
        foreach (var row in rows)
            for (var j = 0; j < p; j++)
                mean[j] += row[j] / n;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => rows[i][j] - mean[j]);
        var s = x.TransposeThisAndMultiply(x) / n;
        var mu = s.Trace() / p;
        var sNormSquared = 0.0;
        for (var i = 0; i < p; i++)
            for (var j = 0; j < p; j++)
                sNormSquared += s[i, j] * s[i, j];
        var fourth = 0.0;
        for (var k = 0; k < n; k++)
        {
            var norm2 = x.Row(k).DotProduct(x.Row(k));
            fourth += norm2 * norm2;
        }

        var delta = (sNormSquared - 2 * mu * s.Trace() + p * mu * mu) / p;
        var beta = Math.Min((fourth / n - sNormSquared) / ((double)n * p), delta);
        var shrinkage = delta <= 0 ? 0 : Math.Clamp(beta / delta, 0, 1);
        var shrunk = (1 - shrinkage) * s + shrinkage * mu * Matrix<double>.Build.DenseIdentity(p);
        return (shrunk, mean, shrinkage);
    }
}
