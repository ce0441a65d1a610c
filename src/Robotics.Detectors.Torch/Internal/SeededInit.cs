using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// Re-draws parameters from a private, seeded generator with PyTorch's default bounds, so the same seed gives the same
/// weights without touching libtorch's global generator (which other code on the process may be using).
/// </summary>
internal static class SeededInit
{
    /// <summary>Fills <paramref name="parameter"/> with U(-bound, bound) drawn from <paramref name="generator"/>.</summary>
    public static void Uniform(Tensor parameter, double bound, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var width = (2 * bound).ToScalar();
        using var low = (-bound).ToScalar();
        using var one = 1.0.ToScalar();
        var draw = rand(parameter.shape, dtype: parameter.dtype, generator: generator);
        parameter.copy_(draw.mul_(width).add_(low, one));
    }

    /// <summary>PyTorch's nn.Linear default: weight and bias U(-1/sqrt(in), 1/sqrt(in)).</summary>
    public static void Linear(TorchSharp.Modules.Linear layer, Generator generator)
    {
        double bound = 1.0 / Math.Sqrt(layer.weight!.shape[1]);
        Uniform(layer.weight, bound, generator);
        if (layer.bias is not null)
            Uniform(layer.bias, bound, generator);
    }
}
