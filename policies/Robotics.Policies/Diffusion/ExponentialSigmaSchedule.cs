namespace Robotics.Policies.Diffusion;

/// <summary>
/// The sampling schedule: <c>steps</c> noise levels spaced evenly in log(sigma) from SigmaMax down to SigmaMin,
/// followed by a final 0 (the last update returns the denoised estimate itself).
/// </summary>
public static class ExponentialSigmaSchedule
{
    public static double[] Create(int steps, double sigmaMin, double sigmaMax)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "The sampler needs at least one step.");
        if (!(sigmaMin > 0 && sigmaMax > sigmaMin))
            throw new ArgumentException($"Need 0 < sigma_min < sigma_max, got {sigmaMin} and {sigmaMax}.");
        var sigmas = new double[steps + 1];
        double lo = Math.Log(sigmaMin), hi = Math.Log(sigmaMax);
        for (int i = 0; i < steps; i++)
            sigmas[i] = steps == 1 ? sigmaMax : Math.Exp(hi + (lo - hi) * i / (steps - 1));
        sigmas[steps] = 0.0;
        return sigmas;
    }
}
