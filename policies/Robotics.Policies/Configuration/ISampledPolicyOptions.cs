namespace Robotics.Policies.Configuration;

/// <summary>Options of a policy that samples its actions with an iterative sampler (run-time overridable).</summary>
public interface ISampledPolicyOptions
{
    int SamplingSteps { get; set; }

    /// <summary>Scale of the sampler's initial noise in [0, 1] (0: deterministic).</summary>
    double InitialNoiseScale { get; set; }
}
