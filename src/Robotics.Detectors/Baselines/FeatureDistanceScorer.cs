using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// Shared shape of SAFE's embedding-distance baselines: the reference set is every per-call feature vector of the
/// SUCCESSFUL training rollouts (failed ones are ignored: these baselines model "normal" only), each call is scored by
/// its distance to that set, and the curve is the running mean of those distances, as SAFE does for handcrafted
/// scores. Training rollouts are taken in ordinal id order, so a fit depends on the set of rollouts, not their order.
/// </summary>
public abstract class FeatureDistanceScorer : IFailureScorer
{
    private int _dimension = -1;

    public abstract string Name { get; }

    public void Fit(IReadOnlyList<FeatureRollout> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var features = train.Where(r => r.Success).OrderBy(r => r.Id, StringComparer.Ordinal).SelectMany(r => r.Features).ToArray();
        if (features.Length == 0)
            throw new ArgumentException($"{Name} is fitted on successful rollouts and the training set has none with a call", nameof(train));
        var dimension = features[0].Length;
        if (dimension == 0 || features.Any(f => f.Length != dimension))
            throw new ArgumentException($"{Name}: training features must share one non-zero width", nameof(train));
        _dimension = dimension;
        FitReference(features.Select(f => Array.ConvertAll(f, v => (double)v)).ToArray());
    }

    public double[] Scores(FeatureRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (_dimension < 0)
            throw new InvalidOperationException($"{Name} must be fitted before it scores");
        var distances = new double[rollout.Calls];
        for (var t = 0; t < rollout.Calls; t++)
        {
            var feature = rollout.Features[t];
            if (feature.Length != _dimension)
                throw new ArgumentException(
                    $"{Name}: rollout {rollout.Id} call {t} has {feature.Length} features, fitted on {_dimension}", nameof(rollout));
            distances[t] = Distance(Array.ConvertAll(feature, v => (double)v));
        }

        return ScoreCurves.RunningMean(distances);
    }

    /// <summary>Builds the model of normal features from the successful training calls (rows share one width).</summary>
    protected abstract void FitReference(double[][] features);

    /// <summary>How far one call's feature vector lies from the successful reference.</summary>
    protected abstract double Distance(double[] feature);
}
