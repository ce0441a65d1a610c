namespace Robotics.Core.Policies;

/// <summary>
/// A stochastic policy that can draw extra chunks for the observation history of its last prediction, from a
/// stream of its own (the main sampling stream, and so the rollout, is unchanged). Failure-detection baselines
/// measure how much these samples disagree (sampling consistency).
/// </summary>
public interface ISampledChunkPolicy : IChunkPolicy
{
    /// <summary><paramref name="count"/> chunks ([k][horizon][action_dim]) for the history as of the last <see cref="IChunkPolicy.PredictChunk"/>.</summary>
    float[][][] SampleChunks(int count, CancellationToken cancellationToken = default);
}
