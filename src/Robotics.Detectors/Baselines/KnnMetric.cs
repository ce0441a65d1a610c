namespace Robotics.Detectors.Baselines;

/// <summary>The distance a k-NN baseline ranks neighbours by.</summary>
public enum KnnMetric
{
    /// <summary>||x - y||.</summary>
    Euclidean,

    /// <summary>1 - cos(x, y), with 1e-8 added to each norm as in SAFE's code (a zero vector is then at distance 1).</summary>
    Cosine,
}
