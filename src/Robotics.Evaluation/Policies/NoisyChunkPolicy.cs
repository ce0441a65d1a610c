using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Core.Randomness;

namespace Robotics.Evaluation.Policies;

/// <summary>
/// Adds N(0, std) to every predicted action and clips to [-1, 1]; the noise stream is reseeded from each episode's
/// seed, so a noisy episode is as reproducible as a clean one.
/// </summary>
public sealed class NoisyChunkPolicy(IChunkPolicy inner, double std, long streamId = 0x5EED) : IChunkPolicy
{
    private Xoshiro256 _random = new(0);

    public IChunkPolicy Inner => inner;

    public ShapeSpec Shape => inner.Shape;
    public int PredictionHorizon => inner.PredictionHorizon;
    public int ExecutedSteps => inner.ExecutedSteps;
    public int FeatureDimension => inner.FeatureDimension;

    public void Reset() => Reset(0);

    public void Reset(long episodeSeed)
    {
        inner.Reset(episodeSeed);
        _random = Xoshiro256.Derive(episodeSeed, streamId);
    }

    public void Observe(PolicyObservation observation) => inner.Observe(observation);

    public PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default)
    {
        var chunk = inner.PredictChunk(observation, cancellationToken);
        var noisy = chunk.Actions.Select(row => row.Select(v => (float)Math.Clamp(v + _random.Normal() * std, -1.0, 1.0)).ToArray()).ToArray();
        return chunk with { Actions = noisy };
    }

    public void Dispose() => inner.Dispose();
}
