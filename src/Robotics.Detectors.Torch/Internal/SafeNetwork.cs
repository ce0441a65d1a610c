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

    /// <summary>
    /// One call [1, 1, D] to its logit [1, 1], carrying the recurrent state (null before the first call; the caller owns
    /// and disposes it). Stateless networks leave it null.
    /// </summary>
    public virtual Tensor Step(Tensor call, ref (Tensor H, Tensor C)? state) => forward(call);
}
