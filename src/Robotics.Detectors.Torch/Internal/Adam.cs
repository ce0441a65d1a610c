using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// Plain Adam (PyTorch's defaults: betas 0.9 / 0.999, eps 1e-8, bias-corrected, no weight decay -- SAFE's L2 term is in
/// the loss). Written out instead of torch.optim.Adam so every Scalar is explicit and held until the step ends:
/// TorchSharp frees implicitly converted Scalars in their finalizer, which can run while a native call still reads
/// them (the rare Scalar::toFloat failure seen in this repo's AdamW during long runs).
/// </summary>
internal sealed class Adam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Tensor[] parameters;
    private readonly Tensor[] first;
    private readonly Tensor[] second;
    private readonly double learningRate;
    private long steps;

    public Adam(IEnumerable<Tensor> parameters, double learningRate)
    {
        this.parameters = parameters.ToArray();
        this.learningRate = learningRate;
        first = this.parameters.Select(p => zeros_like(p).requires_grad_(false)).ToArray();
        second = this.parameters.Select(p => zeros_like(p).requires_grad_(false)).ToArray();
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters)
            p.grad?.zero_();
    }

    public void Step()
    {
        steps++;
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var secondCorrection = (1 - Math.Pow(Beta2, steps)).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.0.ToScalar();
        using var stepSize = (-learningRate / (1 - Math.Pow(Beta1, steps))).ToScalar();
        using var _ = no_grad();
        for (int i = 0; i < parameters.Length; i++)
        {
            var g = parameters[i].grad;
            if (g is null)
                continue;
            using var scope = NewDisposeScope();
            first[i].mul_(beta1).add_(g, oneMinusBeta1);
            second[i].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
            var denom = second[i].div(secondCorrection).sqrt_().add_(epsilon, one);
            parameters[i].addcdiv_(first[i], denom, value: stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in first.Concat(second))
            t.Dispose();
    }
}
