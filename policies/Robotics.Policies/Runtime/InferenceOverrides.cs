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
        if (SamplingSteps is int steps) config.Mode.SamplingSteps = steps;
        if (ExecutedSteps is int executed) config.ExecutedSteps = executed;
        if (NoiseScale is double scale) config.Mode.InitialNoiseScale = scale;
        return config.EnsureValid();
    }
}
