using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>The RND target / predictor shape: a three-layer ReLU MLP from a feature vector to an embedding.</summary>
internal sealed class RndNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear first;
    private readonly Linear second;
    private readonly Linear output;

    public RndNetwork(string name, int inputDimension, int hidden, int outputDimension) : base(name)
    {
        first = Linear(inputDimension, hidden);
        second = Linear(hidden, hidden);
        output = Linear(hidden, outputDimension);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        output.forward(functional.relu(second.forward(functional.relu(first.forward(x)))));

    public void Reset(Generator generator)
    {
        SeededInit.Linear(first, generator);
        SeededInit.Linear(second, generator);
        SeededInit.Linear(output, generator);
    }
}
