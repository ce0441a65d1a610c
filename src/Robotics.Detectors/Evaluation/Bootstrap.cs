using Robotics.Statistics;
using Robotics.Core.Randomness;

namespace Robotics.Detectors.Evaluation;

/// <summary>
/// Percentile bootstrap intervals for detector metrics. Resampling is stratified by outcome (failures and successes
/// are each resampled with replacement at their own count) so that every resample has both classes and ROC-AUC stays
/// defined; the class balance of a split is part of its design, not sampling noise. Draws come from
/// <see cref="SplitMix64"/>, so an interval is a pure function of the data and the seed.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// The <paramref name="level"/> percentile interval of <paramref name="statistic"/> evaluated on resampled index
    /// sets (indices into the original rollouts, repeats allowed). Percentiles interpolate linearly between order
    /// statistics (numpy's default); resamples where the statistic is NaN are left out.
    /// </summary>
    public static ConfidenceInterval Stratified(
        IReadOnlyList<bool> failed, Func<int[], double> statistic, int resamples, long seed, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "level must lie strictly between 0 and 1");
        var failures = Enumerable.Range(0, failed.Count).Where(i => failed[i]).ToArray();
        var successes = Enumerable.Range(0, failed.Count).Where(i => !failed[i]).ToArray();
        var random = new SplitMix64(seed);
        var values = new List<double>(resamples);
        var sample = new int[failed.Count];
        for (var b = 0; b < resamples; b++)
        {
            var k = 0;
            foreach (var group in new[] { failures, successes })
                for (var i = 0; i < group.Length; i++)
                    sample[k++] = group[random.NextInt(group.Length)];
            var value = statistic((int[])sample.Clone());
            if (!double.IsNaN(value))
                values.Add(value);
        }

        if (values.Count == 0)
            return new ConfidenceInterval(double.NaN, double.NaN);
        values.Sort();
        return new ConfidenceInterval(Percentile(values, (1 - level) / 2), Percentile(values, 1 - (1 - level) / 2));
    }

    /// <summary>The q-quantile of sorted values with linear interpolation at position q (n - 1).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            throw new ArgumentException("no values", nameof(sorted));
        var position = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
