using MathNet.Numerics.Distributions;
using Robotics.Core.Randomness;

namespace Robotics.Statistics;

/// <summary>
/// Intervals for the mean (or another statistic) of per-episode numbers that are not plain
/// successes: returns, normalised scores, completion times, progress fractions.
/// </summary>
public static class MeanEstimate
{
    /// <summary>
    /// The sample mean with its Student t confidence interval, mean ± t_{(1+c)/2, n-1} s / sqrt(n).
    /// Exact for normal data and a good approximation for means of a few tens of episodes; use
    /// <see cref="Bootstrap"/> for skewed data or statistics other than the mean.
    /// </summary>
    /// <param name="values">Per-episode values; all must be finite.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    /// <returns>The mean (NaN when empty) and its interval (NaN ends when fewer than 2 values).</returns>
    public static (double Mean, Interval Interval) StudentT(IReadOnlyList<double> values, double confidence = 0.95)
    {
        ArgumentRules.AllFinite(values, nameof(values));
        ArgumentRules.OpenUnit(confidence, nameof(confidence));
        var n = values.Count;
        if (n == 0)
        {
            return (double.NaN, new Interval(double.NaN, double.NaN));
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= n;
        if (n < 2)
        {
            return (mean, new Interval(double.NaN, double.NaN));
        }

        // Two-pass variance: no cancellation when the values share a large offset.
        var squares = 0.0;
        foreach (var v in values)
        {
            squares += (v - mean) * (v - mean);
        }

        var standardError = Math.Sqrt(squares / (n - 1) / n);
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 1, 1 - ((1 - confidence) / 2));
        var half = t * standardError;
        return (mean, new Interval(mean - half, mean + half));
    }

    /// <summary>
    /// The percentile bootstrap interval of any statistic (median, trimmed mean, success rate of the
    /// best seed...): resample the values with replacement <paramref name="resamples"/> times, apply
    /// <paramref name="statistic"/>, and take the (1-c)/2 and (1+c)/2 quantiles (linear interpolation
    /// between order statistics, R type 7) of the results. Deterministic for a given
    /// <paramref name="seed"/> (SplitMix64 generator), so a sweep report can be reproduced.
    /// </summary>
    /// <param name="values">The observed per-episode values (at least one, all finite).</param>
    /// <param name="statistic">Computes the statistic of one resample; receives a fresh list each call and must return a finite number.</param>
    /// <param name="resamples">Number of bootstrap resamples, at least 2 (2000 or more for 95% intervals).</param>
    /// <param name="seed">Seed of the resampling generator.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    public static Interval Bootstrap(
        IReadOnlyList<double> values,
        Func<IReadOnlyList<double>, double> statistic,
        int resamples = 2000,
        long seed = 0,
        double confidence = 0.95)
    {
        ArgumentRules.AllFinite(values, nameof(values));
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentRules.OpenUnit(confidence, nameof(confidence));
        if (values.Count == 0)
        {
            throw new ArgumentException("values must contain at least one value to bootstrap.", nameof(values));
        }

        if (resamples < 2)
        {
            throw new ArgumentException($"resamples must be >= 2, got {resamples}.", nameof(resamples));
        }

        var random = new SplitMix64(seed);
        var n = values.Count;
        var results = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var resample = new double[n];
            for (var i = 0; i < n; i++)
            {
                resample[i] = values[random.NextIndex(n)];
            }

            var result = statistic(resample);
            if (!double.IsFinite(result))
            {
                throw new InvalidOperationException(
                    $"statistic returned {result} for bootstrap resample {r}; it must return a finite number.");
            }

            results[r] = result;
        }

        Array.Sort(results);
        var tail = (1 - confidence) / 2;
        return new Interval(Quantile(results, tail), Quantile(results, 1 - tail));
    }

    /// <summary>Type-7 quantile (R's and numpy's default) of sorted data.</summary>
    private static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var below = (int)Math.Floor(h);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((h - below) * (sorted[above] - sorted[below]));
    }
}
