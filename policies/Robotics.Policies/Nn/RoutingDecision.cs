using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>
/// Which experts each sample uses: <see cref="Indices"/> (B, k) with renormalised <see cref="Weights"/> (B, k),
/// plus the full router <see cref="Probabilities"/> and <see cref="Logits"/> (B, E) for the auxiliary losses.
/// </summary>
public sealed record RoutingDecision(Tensor Indices, Tensor Weights, Tensor Probabilities, Tensor Logits);
