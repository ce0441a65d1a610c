using Robotics.Detectors.Data;

namespace Robotics.Detectors;

/// <summary>
/// A failure score model: fitted on training rollouts, it turns a rollout into a score curve, one value per policy
/// call, where higher means "more likely to fail". SAFE's scores are already cumulative (s_t = sum of p_tau);
/// handcrafted scores are running means (as in SAFE's baselines). The curve at call t uses calls 0..t only, so it can
/// run online.
/// </summary>
public interface IFailureScorer
{
    string Name { get; }

    void Fit(IReadOnlyList<FeatureRollout> train);

    double[] Scores(FeatureRollout rollout);
}
