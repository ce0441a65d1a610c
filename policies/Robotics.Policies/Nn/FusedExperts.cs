using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// The selected experts of one block at one noise level, fused into one SwiGLU MLP of hidden size k·H:
/// gate and up rows are concatenated, and each expert's down projection is scaled by its router weight,
/// so down(silu(gate x) * up x) equals the weighted sum of the experts exactly.
/// </summary>
public sealed class FusedExperts : IDisposable
{
    private readonly Tensor gateUp;
    private readonly Tensor down;

    public FusedExperts(IReadOnlyList<SwiGluExpert> experts, IReadOnlyList<double> weights)
    {
        if (experts.Count == 0 || experts.Count != weights.Count)
            throw new ArgumentException("Fusing needs one weight per selected expert.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int h = experts[0].Hidden;
        var gates = experts.Select(e => e.GateUpWeight.narrow(0, 0, h));
        var ups = experts.Select(e => e.GateUpWeight.narrow(0, h, h));
        gateUp = cat(gates.Concat(ups).ToArray(), 0).contiguous().DetachFromDisposeScope();
        down = cat(experts.Select((e, i) => e.DownWeight * weights[i]).ToArray(), 1).contiguous().DetachFromDisposeScope();
    }

    public Tensor Forward(Tensor x)
    {
        var parts = functional.linear(x, gateUp).chunk(2, -1);
        return functional.linear(functional.silu(parts[0]) * parts[1], down);
    }

    public void Dispose()
    {
        gateUp.Dispose();
        down.Dispose();
    }
}
