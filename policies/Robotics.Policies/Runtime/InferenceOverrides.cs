using Robotics.Policies.Configuration;

namespace Robotics.Policies.Runtime;

/// <summary>
/// Run-time settings that may differ from how a policy was trained: denoising steps, actions executed per call and
/// the sampler's initial-noise scale. <see cref="Apply"/> makes a new configuration and validates it; the loaded
/// checkpoint's own configuration is never changed.
/// </summary>
public sealed record InferenceOverrides(int? SamplingSteps = null, int? ExecutedSteps = null, double? NoiseScale = null)
{
    public static InferenceOverrides None { get; } = new();

    public PolicyConfig Apply(PolicyConfig trained)
    {
        if (this == None)
            return trained;
        var config = trained.Clone();
        if (ExecutedSteps is int executed) config.ExecutedSteps = executed;
        if (SamplingSteps is not null || NoiseScale is not null)
        {
            if (Registry.PolicyRegistry.Get(config.Type).Options(config) is not ISampledPolicyOptions sampled)
                throw new InvalidPolicyConfigException([$"policy type '{config.Type}' has no sampler: sampling steps and noise scale do not apply."]);
            if (SamplingSteps is int steps) sampled.SamplingSteps = steps;
            if (NoiseScale is double scale) sampled.InitialNoiseScale = scale;
        }

        return config.EnsureValid();
    }
}
