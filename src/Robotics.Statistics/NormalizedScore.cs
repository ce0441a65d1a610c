namespace Robotics.Statistics;

/// <summary>
/// D4RL-style normalised scores, 100 * (return - random) / (expert - random): 0 is a random policy
/// and 100 an expert, so returns from tasks with different reward scales can be compared and averaged.
/// </summary>
public static class NormalizedScore
{
    /// <summary>
    /// The mean normalised score of the episodes with its Student t interval (the per-episode scores
    /// are normalised first, then <see cref="MeanEstimate.StudentT"/> applies).
    /// </summary>
    /// <param name="returns">Per-episode returns; all finite.</param>
    /// <param name="randomScore">Mean return of a random policy on the task.</param>
    /// <param name="expertScore">Mean return of the expert (reference) policy; must differ from randomScore.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    public static (double Mean, Interval Interval) Of(
        IReadOnlyList<double> returns, double randomScore, double expertScore, double confidence = 0.95)
    {
        ArgumentRules.AllFinite(returns, nameof(returns));
        ArgumentRules.Finite(randomScore, nameof(randomScore));
        ArgumentRules.Finite(expertScore, nameof(expertScore));
        if (expertScore == randomScore)
        {
            throw new ArgumentException(
                $"expertScore must differ from randomScore (both {randomScore}); the scale would be undefined.", nameof(expertScore));
        }

        var scale = 100 / (expertScore - randomScore);
        var scores = returns.Select(r => (r - randomScore) * scale).ToArray();
        return MeanEstimate.StudentT(scores, confidence);
    }
}
