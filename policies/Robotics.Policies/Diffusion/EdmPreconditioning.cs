using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Diffusion;

/// <summary>
/// Karras et al. (EDM) preconditioning: the network F sees c_in·x and log(sigma)/4, and the denoiser is
/// D(x, sigma) = c_skip·x + c_out·F. Keeping every coefficient here makes training and sampling agree by construction.
/// </summary>
public sealed record EdmPreconditioning(double SigmaData = 0.5, double SigmaMin = 0.001, double SigmaMax = 80.0)
{
    // Held for the record's life: TorchSharp frees an implicitly converted Scalar in its finalizer, which can run
    // while the native call that got its handle still reads it (see TaskEncoder).
    private readonly Scalar _data = SigmaData.ToScalar();
    private readonly Scalar _data2 = (SigmaData * SigmaData).ToScalar();
    private readonly Scalar _one = 1.0.ToScalar();
    private readonly Scalar _four = 4.0.ToScalar();

    public Tensor CSkip(Tensor sigma) => (sigma.square() + _data2).reciprocal().mul(_data2);

    public Tensor COut(Tensor sigma) => sigma.mul(_data) / (sigma.square() + _data2).sqrt();

    public Tensor CIn(Tensor sigma) => (sigma.square() + _data2).sqrt().reciprocal().mul(_one);

    /// <summary>The noise conditioning the MoDE noise embedding takes: log(sigma)/4.</summary>
    public Tensor CNoise(Tensor sigma) => sigma.log().div(_four);

    /// <summary>
    /// The regression target for F so that MSE(F, target) equals the EDM-weighted denoising loss:
    /// (x0 - c_skip·x_noisy) / c_out.
    /// </summary>
    public Tensor Target(Tensor clean, Tensor noisy, Tensor sigma) => (clean - CSkip(sigma) * noisy) / COut(sigma);

    /// <summary>Combines the raw network output into the denoised estimate.</summary>
    public Tensor Denoise(Tensor noisy, Tensor networkOutput, Tensor sigma) => CSkip(sigma) * noisy + COut(sigma) * networkOutput;
}
