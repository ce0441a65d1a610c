using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Diffusion;

/// <summary>
/// DDIM in its DPM-Solver-1 form over a sigma schedule: with t = -log sigma and h = t_next - t,
/// x_next = (sigma_next / sigma)·x - expm1(-h)·D(x, sigma), and the last step (sigma_next = 0) returns D(x, sigma).
/// The denoiser callback also receives the step index so cached experts can be looked up by step.
/// </summary>
public static class DpmSolver1Sampler
{
    public delegate Tensor Denoiser(Tensor x, double sigma, int step);

    public static Tensor Sample(Tensor initialNoise, double[] sigmas, Denoiser denoise, CancellationToken cancellationToken = default)
    {
        // Explicit Scalars held by usings: TorchSharp's implicit ones are freed by their finalizer, possibly while
        // the native call still reads them (see AdamW.Step); inference runs for hours in the control loop.
        using var start = sigmas[0].ToScalar();
        using var one = 1.0.ToScalar();   // add_(Tensor) would create its alpha = 1 implicitly, inside TorchSharp
        var x = initialNoise.mul(start);
        for (int i = 0; i < sigmas.Length - 1; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var denoised = denoise(x, sigmas[i], i);
            double next = sigmas[i + 1];
            if (next == 0)
            {
                x = denoised;
                continue;
            }

            using var ratio = (next / sigmas[i]).ToScalar();
            using var rest = (1.0 - next / sigmas[i]).ToScalar();
            x = x.mul(ratio).add_(denoised.mul(rest), one);
        }

        return x;
    }
}
