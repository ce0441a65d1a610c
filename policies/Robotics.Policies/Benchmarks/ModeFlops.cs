using Robotics.Policies.Mode;
using Robotics.Policies.Configuration;

namespace Robotics.Policies.Benchmarks;

/// <summary>
/// Multiply-add count of the MoDE denoiser's matrix products, the work a BLAS does: per token and block the
/// attention projections (4·D²), the k active SwiGLU experts (3·D·H each) and the attention products (2·T·D);
/// plus the input and output projections. A training step costs three forward passes' worth (forward, and the
/// input and weight gradients of backward); element-wise work is not counted, so achieved rates are a lower bound.
/// </summary>
public static class ModeFlops
{
    public static int Tokens(PolicyConfig config) => 1 + 1 + config.ObservationHistory + (config.Options<ModeOptions>().WorldModel ? 1 : 0) + config.Horizon;

    /// <summary>Multiply-adds of one forward pass of one sample.</summary>
    public static double ForwardMacs(PolicyConfig config)
    {
        var o = config.Options<ModeOptions>();
        double d = config.Width, t = Tokens(config), hidden = o.ExpertHiddenMultiplier * d;
        double perBlock = t * (4 * d * d + (o.TopK + (o.SharedExpert ? 1 : 0)) * 3 * d * hidden) + 2 * t * t * d;
        double io = config.ObservationHistory * config.StateDim * d + config.Horizon * config.ActionDim * d * 2;
        return o.Layers * perBlock + io;
    }

    /// <summary>Floating-point operations (2 per multiply-add) of one training step of <paramref name="batch"/> samples.</summary>
    public static double TrainingStepFlops(PolicyConfig config, int batch) => 3 * 2 * ForwardMacs(config) * batch;

    /// <summary>Floating-point operations of one batch-1 chunk inference (one forward per denoising step).</summary>
    public static double ChunkFlops(PolicyConfig config) => 2 * ForwardMacs(config) * config.Options<ModeOptions>().SamplingSteps;
}
