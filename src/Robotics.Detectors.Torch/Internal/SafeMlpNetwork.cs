using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// SAFE-MLP's projector: Linear(D, H), ReLU, Linear(H, 1), applied to each call independently (the public code's
/// IndepModel with n_layers = 2). The sigmoid and the cumulative sum are applied by the detector.
/// </summary>
internal sealed class SafeMlpNetwork : SafeNetwork
{
    private readonly Linear hidden;
    private readonly Linear output;

    public SafeMlpNetwork(int inputDimension, int hiddenDimension) : base("safe_mlp")
    {
        hidden = Linear(inputDimension, hiddenDimension);
        output = Linear(hiddenDimension, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) =>
        output.forward(functional.relu(hidden.forward(features))).squeeze(-1);

    public override void Reset(Generator generator)
    {
        SeededInit.Linear(hidden, generator);
        SeededInit.Linear(output, generator);
    }
}
