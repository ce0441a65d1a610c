using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>A SAFE network: standardised features [B, T, D] to one logit per call [B, T]. Causal in T.</summary>
internal abstract class SafeNetwork : nn.Module<Tensor, Tensor>
{
    protected SafeNetwork(string name) : base(name)
    {
    }

    /// <summary>Draws every parameter from <paramref name="generator"/> with PyTorch's default bounds.</summary>
    public abstract void Reset(Generator generator);
}
