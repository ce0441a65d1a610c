using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>The MoDE router: Linear(D, 2D) -> GELU -> Linear(2D, E), fed the noise embedding only. Returns logits.</summary>
public sealed class NoiseRouter : Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear logits;

    public NoiseRouter(int width, int experts, string name = "router") : base(name)
    {
        hidden = Linear(width, 2 * width);
        logits = Linear(2 * width, experts);
        RegisterComponents();
    }

    public override Tensor forward(Tensor noiseEmbedding) => logits.forward(functional.gelu(hidden.forward(noiseEmbedding)));
}
