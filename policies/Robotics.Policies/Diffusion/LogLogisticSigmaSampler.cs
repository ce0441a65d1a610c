using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Diffusion;

/// <summary>
/// Training noise levels as MoDE draws them: log(sigma) is logistic with location log 0.5 and scale 0.5,
/// i.e. sigma = exp(loc + scale·logit(u)), u ~ U(0, 1), then clipped to [SigmaMin, SigmaMax].
/// </summary>
public sealed record LogLogisticSigmaSampler(double Location, double Scale, double SigmaMin, double SigmaMax)
{
    public static LogLogisticSigmaSampler Default { get; } = new(Math.Log(0.5), 0.5, 0.001, 80.0);

    /// <param name="shard">In data-parallel training, the rows of the global batch this process holds (see <see cref="Nn.BatchShard"/>).</param>
    public Tensor Sample(long count, Generator generator, Device? device = null, Nn.BatchShard? shard = null)
    {
        // Scalars held for the whole call (see TaskEncoder: an implicitly converted one can be finalized mid-call).
        using var low = 1e-7.ToScalar();
        using var high = (1 - 1e-7).ToScalar();
        using var scale = Scale.ToScalar();
        using var location = Location.ToScalar();
        using var sigmaMin = SigmaMin.ToScalar();
        using var sigmaMax = SigmaMax.ToScalar();
        // Keep u away from 0 and 1 so logit stays finite; the clip below bounds sigma anyway.
        var u = Nn.ShardedRandom.Rand([count], generator, device ?? CPU, shard).clamp(low, high);
        return (u.logit() * scale + location).exp().clamp(sigmaMin, sigmaMax);
    }
}
