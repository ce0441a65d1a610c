using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// A bias-free SwiGLU MLP: down(silu(gate(x)) * up(x)). Gate and up share one weight matrix
/// (<c>gate_up</c>, rows [gate; up]) so that fusing experts is a concatenation of rows.
/// </summary>
public sealed class SwiGluExpert : Module<Tensor, Tensor>
{
    private readonly Linear gate_up;
    private readonly Linear down;

    public SwiGluExpert(int width, int hidden, string name = "expert") : base(name)
    {
        Hidden = hidden;
        gate_up = Linear(width, 2 * hidden, hasBias: false);
        down = Linear(hidden, width, hasBias: false);
        RegisterComponents();
    }

    public int Hidden { get; }

    /// <summary>(2H, D): rows 0..H-1 are the gate, H..2H-1 the up projection.</summary>
    public Tensor GateUpWeight => gate_up.weight!;

    /// <summary>(D, H).</summary>
    public Tensor DownWeight => down.weight!;

    public override Tensor forward(Tensor x)
    {
        var parts = gate_up.forward(x).chunk(2, -1);
        return down.forward(functional.silu(parts[0]) * parts[1]);
    }
}
