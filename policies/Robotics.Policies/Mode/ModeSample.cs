using static TorchSharp.torch;

namespace Robotics.Policies.Mode;

/// <summary>
/// One sampling result (normalised units): the action chunk (B, H, A) and future observation (B, S) (whichever
/// side was denoised, the other is the given or held input), and the features (B, D): the last block's hidden
/// states averaged over all tokens and over all denoising steps.
/// </summary>
public sealed record ModeSample(Tensor Actions, Tensor? FutureState, Tensor Features);
