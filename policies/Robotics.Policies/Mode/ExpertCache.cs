using Robotics.Policies.Nn;
using static TorchSharp.torch;

namespace Robotics.Policies.Mode;

/// <summary>
/// Expert caching for one sampling schedule: because routing depends only on the noise level, for every step
/// the noise embedding is computed once and every block's chosen experts are fused ahead of time. Built from
/// frozen weights: rebuild after the weights change.
/// </summary>
public sealed class ExpertCache : IDisposable
{
    public ExpertCache(Tensor[] noise, FusedExperts[][] fused)
    {
        Noise = noise;
        Fused = fused;
    }

    /// <summary>Per step: the noise embedding (1, D).</summary>
    public Tensor[] Noise { get; }

    /// <summary>Per step, per block: the fused experts.</summary>
    public FusedExperts[][] Fused { get; }

    public void Dispose()
    {
        foreach (var n in Noise) n.Dispose();
        foreach (var step in Fused)
        foreach (var f in step)
            f.Dispose();
    }
}
