using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Training;

/// <summary>
/// EMA of the weights with Diffusion Policy's warm-up: decay = 1 - (1 + step)^-power, capped at <c>max</c>, so
/// early averages forget the random initialisation quickly. Inference uses these weights.
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    private readonly (string Name, Tensor Param)[] parameters;
    private readonly Dictionary<string, Tensor> shadow = [];

    public ExponentialMovingAverage(IEnumerable<(string Name, Tensor Param)> parameters, double power, double max)
    {
        this.parameters = parameters.ToArray();
        Power = power;
        Max = max;
        using var _ = no_grad();
        foreach (var (name, p) in this.parameters)
            shadow[name] = p.detach().clone();
    }

    public double Power { get; }
    public double Max { get; }

    public double DecayAt(long step) => Math.Clamp(1 - Math.Pow(1 + step, -Power), 0, Max);

    public void Update(long step)
    {
        double value = DecayAt(step);
        // Explicit Scalars kept alive by the usings (see AdamW.Step: implicit ones may be finalized mid-call).
        // One pass per parameter: shadow += (1 - decay)·(p - shadow).
        using var _ = no_grad();
        // lerp_ takes its weight as a tensor: one 0-d tensor on the parameters' device for the whole update.
        using var weight = tensor((float)(1 - value), device: parameters.Length > 0 ? parameters[0].Param.device : CPU);
        foreach (var (name, p) in parameters)
            shadow[name].lerp_(p, weight);
    }

    public IReadOnlyDictionary<string, Tensor> Weights => shadow;

    public void Load(IReadOnlyDictionary<string, Tensor> weights)
    {
        using var _ = no_grad();
        foreach (var (name, _) in parameters)
        {
            if (!weights.TryGetValue(name, out var t))
                throw new InvalidDataException($"EMA weights lack '{name}'.");
            shadow[name].copy_(t);
        }
    }

    public void Dispose()
    {
        foreach (var t in shadow.Values)
            t.Dispose();
    }
}
