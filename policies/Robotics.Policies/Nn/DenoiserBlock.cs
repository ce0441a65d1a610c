using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// One MoDE block: x + attn(ln(x) + c), then x + moe(ln(x)), where c is the noise embedding (B, D) added to
/// every token's normalised attention input.
/// </summary>
public sealed class DenoiserBlock : Module
{
    private readonly LayerNorm ln_attn;
    private readonly SelfAttention attn;
    private readonly LayerNorm ln_mlp;
    private readonly MixtureOfExperts moe;

    public DenoiserBlock(int width, int heads, int expertHidden, int experts, int topK, bool causal, string name, bool sharedExpert = false) : base(name)
    {
        ln_attn = LayerNorm(width);
        attn = new SelfAttention(width, heads, causal);
        ln_mlp = LayerNorm(width);
        moe = new MixtureOfExperts(width, expertHidden, experts, topK, sharedExpert);
        RegisterComponents();
    }

    public MixtureOfExperts Experts => moe;

    public Tensor Forward(Tensor x, Tensor noise, RoutingDecision routing)
    {
        x = x + attn.forward(ln_attn.forward(x) + noise.unsqueeze(1));
        return x + moe.Forward(ln_mlp.forward(x), routing);
    }

    /// <summary>The same block with the experts pre-routed and fused for one noise level.</summary>
    public Tensor ForwardCached(Tensor x, Tensor noise, FusedExperts fused)
    {
        x = x + attn.forward(ln_attn.forward(x) + noise.unsqueeze(1));
        return x + fused.Forward(ln_mlp.forward(x));
    }
}
