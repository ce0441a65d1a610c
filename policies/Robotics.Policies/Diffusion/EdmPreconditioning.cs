using static TorchSharp.torch;

namespace Robotics.Policies.Diffusion;

/// <summary>
/// Karras et al. (EDM) preconditioning: the network F sees c_in·x and log(sigma)/4, and the denoiser is
/// D(x, sigma) = c_skip·x + c_out·F. Keeping every coefficient here makes training and sampling agree by construction.
/// </summary>
public sealed record EdmPreconditioning(double SigmaData = 0.5, double SigmaMin = 0.001, double SigmaMax = 80.0)
{
    public Tensor CSkip(Tensor sigma) => SigmaData * SigmaData / (sigma.square() + SigmaData * SigmaData);

    public Tensor COut(Tensor sigma) => sigma * SigmaData / (sigma.square() + SigmaData * SigmaData).sqrt();

    public Tensor CIn(Tensor sigma) => 1.0 / (sigma.square() + SigmaData * SigmaData).sqrt();

    /// <summary>The noise conditioning the MoDE noise embedding takes: log(sigma)/4.</summary>
    public Tensor CNoise(Tensor sigma) => sigma.log() / 4.0;

    /// <summary>
    /// The regression target for F so that MSE(F, target) equals the EDM-weighted denoising loss:
    /// (x0 - c_skip·x_noisy) / c_out.
    /// </summary>
    public Tensor Target(Tensor clean, Tensor noisy, Tensor sigma) => (clean - CSkip(sigma) * noisy) / COut(sigma);

    /// <summary>Combines the raw network output into the denoised estimate.</summary>
    public Tensor Denoise(Tensor noisy, Tensor networkOutput, Tensor sigma) => CSkip(sigma) * noisy + COut(sigma) * networkOutput;
}
