using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// MoDE's noise embedding: Linear(1, D) on log(sigma)/4, then Linear(D, D) (no activation in between, as
/// ANCHORS.md states). Its output is added to every block's attention input, prepended as a token, and is
/// the only input of the expert routers, so routing is a pure function of the noise level.
/// </summary>
public sealed class NoiseEmbedding : Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly Linear output;

    public NoiseEmbedding(int width, string name = "noise_embedding") : base(name)
    {
        input = Linear(1, width);
        output = Linear(width, width);
        RegisterComponents();
    }

    /// <param name="sigma">Noise levels, shape (B).</param>
    /// <returns>Embeddings, shape (B, D).</returns>
    public override Tensor forward(Tensor sigma)
    {
        // Held explicitly: an implicitly converted Scalar can be finalized while the native call still reads it.
        using var four = 4.0.ToScalar();
        return output.forward(input.forward(sigma.log().div(four).unsqueeze(-1)));
    }
}
