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
        // Keep u away from 0 and 1 so logit stays finite; the clip below bounds sigma anyway.
        var u = Nn.ShardedRandom.Rand([count], generator, device ?? CPU, shard).clamp(1e-7, 1 - 1e-7);
        return (u.logit() * Scale + Location).exp().clamp(SigmaMin, SigmaMax);
    }
}
