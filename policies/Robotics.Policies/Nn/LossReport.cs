using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>The total loss to back-propagate and its named parts (already detached) for logging.</summary>
public sealed record LossReport(Tensor Total, IReadOnlyDictionary<string, Tensor> Parts);
