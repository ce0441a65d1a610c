using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>Multi-head self-attention (bias-free projections) over (B, T, D) through scaled_dot_product_attention.</summary>
public sealed class SelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int heads;
    private readonly bool causal;

    public SelfAttention(int width, int heads, bool causal, string name = "attention") : base(name)
    {
        if (width % heads != 0)
            throw new ArgumentException($"Width {width} is not divisible by {heads} heads.");
        this.heads = heads;
        this.causal = causal;
        qkv = Linear(width, 3 * width, hasBias: false);
        proj = Linear(width, width, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var parts = qkv.forward(x).view(b, t, 3, heads, d / heads).permute(2, 0, 3, 1, 4);
        var y = functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], null, 0.0, causal);
        return proj.forward(y.transpose(1, 2).reshape(b, t, d));
    }
}
