namespace Robotics.Detectors.Data;

/// <summary>
/// One closed-loop rollout as a failure detector sees it: the policy's feature vector at every policy call (in call
/// order), the step each call was made at, and the outcome. <see cref="SampledChunks"/>, when collected, holds K
/// extra action chunks sampled at each call ([call][k][horizon * action_dim]) for the sampling-consistency baselines;
/// <see cref="ExecutedChunks"/> the chunk each call produced ([call][horizon * action_dim]) for STAC.
/// </summary>
public sealed record FeatureRollout(
    string Id,
    int Task,
    bool Success,
    int EpisodeLength,
    int[] Steps,
    float[][] Features,
    string? Fault = null,
    float[][]? ExecutedChunks = null,
    float[][][]? SampledChunks = null)
{
    public int Calls => Features.Length;

    public bool Failed => !Success;
}
