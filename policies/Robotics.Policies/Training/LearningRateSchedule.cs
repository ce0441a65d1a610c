namespace Robotics.Policies.Training;

/// <summary>Linear warm-up from 0 to the peak, then a half cosine down to peak·minRatio at the last step.</summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, double MinRatio = 0.0)
{
    /// <param name="step">Zero-based optimiser step.</param>
    public double At(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps)
            return Peak * (step + 1) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double min = Peak * MinRatio;
        return min + (Peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
