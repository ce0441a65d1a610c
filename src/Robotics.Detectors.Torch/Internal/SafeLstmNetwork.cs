using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// SAFE-LSTM: a one-layer, forward-only LSTM over the calls (batch first) and Linear(H, 1) on every output, as the
/// public code's LstmModel with n_history_steps = -1 and no dropout. Forward-only keeps it causal, so end padding never
/// reaches a valid call.
/// </summary>
internal sealed class SafeLstmNetwork : SafeNetwork
{
    private readonly LSTM lstm;
    private readonly Linear head;
    private readonly int hiddenDimension;

    public SafeLstmNetwork(int inputDimension, int hiddenDimension) : base("safe_lstm")
    {
        this.hiddenDimension = hiddenDimension;
        lstm = LSTM(inputDimension, hiddenDimension, numLayers: 1, batchFirst: true);
        head = Linear(hiddenDimension, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        var (output, h, c) = lstm.call(features, null);
        h.Dispose();
        c.Dispose();
        return head.forward(output).squeeze(-1);
    }

    public override Tensor Step(Tensor call, ref (Tensor H, Tensor C)? state)
    {
        var (output, h, c) = lstm.call(call, state);
        state?.H.Dispose();
        state?.C.Dispose();
        state = (h.DetachFromDisposeScope(), c.DetachFromDisposeScope());
        return head.forward(output).squeeze(-1);
    }

    public override void Reset(Generator generator)
    {
        // PyTorch's nn.LSTM default: every weight and bias U(-1/sqrt(H), 1/sqrt(H)).
        double bound = 1.0 / Math.Sqrt(hiddenDimension);
        foreach (var (_, p) in lstm.named_parameters())
            SeededInit.Uniform(p, bound, generator);
        SeededInit.Linear(head, generator);
    }
}
