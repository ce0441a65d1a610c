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
        var x = initialNoise * sigmas[0];
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

            double ratio = next / sigmas[i];
            x = x * ratio + denoised * (1.0 - ratio);
        }

        return x;
    }
}
