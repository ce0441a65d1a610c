using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// Sampling consistency as spread: at each call the policy's K extra sampled chunks
/// (<see cref="FeatureRollout.SampledChunks"/>) are compared coordinate by coordinate, and the score is the mean over
/// coordinates of their variance across the K samples (population variance, 1/K). An uncertain policy samples
/// chunks that disagree. Needs no training data, so <see cref="Fit"/> only checks its input. Running mean over calls.
/// </summary>
public sealed class SampleVarianceScorer : IFailureScorer
{
    public string Name => "sample-variance";

    public void Fit(IReadOnlyList<FeatureRollout> train) => ArgumentNullException.ThrowIfNull(train);

    public double[] Scores(FeatureRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var sampled = SampledChunksOf(rollout, Name);
        var variance = new double[rollout.Calls];
        for (var t = 0; t < rollout.Calls; t++)
        {
            var samples = sampled[t];
            var width = samples[0].Length;
            var total = 0.0;
            for (var j = 0; j < width; j++)
            {
                double mean = 0, square = 0;
                foreach (var s in samples)
                {
                    mean += s[j];
                    square += (double)s[j] * s[j];
                }

                mean /= samples.Length;
                total += Math.Max(0, square / samples.Length - mean * mean);
            }

            variance[t] = total / width;
        }

        return ScoreCurves.RunningMean(variance);
    }

    /// <summary>The K sampled chunks per call, checked for shape; a clear error names the missing field.</summary>
    internal static float[][][] SampledChunksOf(FeatureRollout rollout, string owner)
    {
        var sampled = rollout.SampledChunks ?? throw new InvalidOperationException(
            $"{owner} needs FeatureRollout.SampledChunks (K sampled action chunks per call); rollout {rollout.Id} has none");
        if (sampled.Length != rollout.Calls)
            throw new ArgumentException($"rollout {rollout.Id}: sampled chunks for {sampled.Length} of {rollout.Calls} calls");
        for (var t = 0; t < sampled.Length; t++)
            if (sampled[t].Length == 0 || sampled[t].Any(s => s.Length == 0 || s.Length != sampled[t][0].Length))
                throw new ArgumentException($"rollout {rollout.Id} call {t}: sampled chunks are missing or of unequal length");
        return sampled;
    }
}
