using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Training;

/// <summary>
/// AdamW (decoupled weight decay, bias-corrected moments). Written out rather than taken from torch.optim so
/// its whole state (step and moments, by parameter name) is plain tensors saved with the checkpoint, which makes
/// resume exact. Biases, norms and other 1-D parameters get no weight decay.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly (string Name, Tensor Param)[] parameters;
    private readonly Dictionary<string, Tensor> first = [];
    private readonly Dictionary<string, Tensor> second = [];

    public AdamW(IEnumerable<(string Name, Tensor Param)> parameters, double beta1, double beta2, double weightDecay, double epsilon)
    {
        this.parameters = parameters.ToArray();
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        Epsilon = epsilon;
        foreach (var (name, p) in this.parameters)
        {
            first[name] = zeros_like(p).requires_grad_(false);
            second[name] = zeros_like(p).requires_grad_(false);
        }
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double WeightDecay { get; }
    public double Epsilon { get; }
    public long StepCount { get; private set; }

    /// <summary>
    /// Drops the gradients (PyTorch's zero_grad(set_to_none=True)): a parameter the next loss does not reach keeps no
    /// gradient, and <see cref="Step"/> skips it rather than decaying it and moving it on stale moments.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in parameters)
            p.grad = null;
    }

    public void Step(double learningRate)
    {
        StepCount++;
        double c1 = 1 - Math.Pow(Beta1, StepCount);
        double c2 = 1 - Math.Pow(Beta2, StepCount);
        // Every Scalar is explicit and held by a using until the loop ends: TorchSharp frees implicitly converted
        // Scalars in their finalizer, which can run while the native call that received the handle still reads it
        // (seen as a rare "Expected false to be true" in Scalar::toFloat inside add_ during long runs).
        using var decay = (1 - learningRate * WeightDecay).ToScalar();
        // lerp_ takes its weight as a tensor: one 0-d tensor on the parameters' device for the whole step.
        using var oneMinusBeta1 = tensor((float)(1 - Beta1), device: parameters.Length > 0 ? parameters[0].Param.device : CPU);
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var secondCorrection = c2.ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.0.ToScalar();   // add_(Scalar) would create its alpha = 1 implicitly, inside TorchSharp
        using var stepSize = (-learningRate / c1).ToScalar();
        using var _ = no_grad();
        foreach (var (name, p) in parameters)
        {
            var g = p.grad;
            if (g is null)
                continue;
            using var scope = NewDisposeScope();
            if (WeightDecay > 0 && p.dim() >= 2)
                p.mul_(decay);
            first[name].lerp_(g, oneMinusBeta1); // m = beta1·m + (1 - beta1)·g in one kernel
            second[name].mul_(beta2).addcmul_(g, g, value: oneMinusBeta2);
            var denom = second[name].div(secondCorrection).sqrt_().add_(epsilon, one);
            p.addcdiv_(first[name], denom, value: stepSize);
        }
    }

    /// <summary>Moments keyed "m.NAME" / "v.NAME"; the step count travels separately in the trainer state.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, _) in parameters)
        {
            state["m." + name] = first[name];
            state["v." + name] = second[name];
        }

        return state;
    }

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, long stepCount)
    {
        using var _ = no_grad();
        foreach (var (name, _) in parameters)
        {
            foreach (var (prefix, store) in new[] { ("m.", first), ("v.", second) })
            {
                if (!state.TryGetValue(prefix + name, out var t))
                    throw new InvalidDataException($"Optimiser state lacks '{prefix + name}'.");
                store[name].copy_(t);
            }
        }

        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var t in first.Values.Concat(second.Values))
            t.Dispose();
    }
}
