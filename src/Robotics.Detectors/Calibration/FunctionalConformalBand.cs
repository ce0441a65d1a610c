using System.Text.Json.Serialization;
using Robotics.Statistics;
using Robotics.Core.Randomness;

namespace Robotics.Detectors.Calibration;

/// <summary>
/// SAFE's alarm threshold: a time-varying band delta_t = mu_t + h * sigma_t fitted by functional conformal prediction
/// on the score curves of SUCCESSFUL calibration rollouts, so that a new successful rollout crosses it (a false alarm)
/// with probability at most <see cref="Alpha"/> when curves are exchangeable. A time-varying band matters because
/// cumulative scores grow with time; a single scalar threshold would either alarm late or alarm on every long success.
/// The record holds only numbers, so a detector checkpoint can store it as JSON.
/// </summary>
public sealed record FunctionalConformalBand
{
    /// <summary>Added to every modulation value so that a flat stretch of the calibration curves cannot divide by 0.</summary>
    public const double SigmaFloor = 1e-8;

    /// <summary>Share of the curves used for the mean and the modulation; the rest fixes h.</summary>
    public const double CalibrationShare = 0.3;

    [JsonConstructor]
    public FunctionalConformalBand(double alpha, double[] mean, double[] sigma, double h)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(sigma);
        if (mean.Length == 0)
            throw new ArgumentException("the band needs at least one time step", nameof(mean));
        if (sigma.Length != mean.Length)
            throw new ArgumentException($"sigma has {sigma.Length} steps but mean has {mean.Length}", nameof(sigma));
        Alpha = alpha;
        Mean = mean;
        Sigma = sigma;
        H = h;
        Band = new double[mean.Length];
        for (var t = 0; t < mean.Length; t++)
            Band[t] = mean[t] + h * sigma[t];
    }

    /// <summary>The bound on the false-alarm rate the band was calibrated for.</summary>
    public double Alpha { get; }

    /// <summary>mu_t: the mean calibration curve (after padding).</summary>
    public double[] Mean { get; }

    /// <summary>sigma_t: the modulation, the widest deviation among the calibration curves that are not outliers.</summary>
    public double[] Sigma { get; }

    /// <summary>h: the conformal quantile of the normalised excursions max_t (y_t - mu_t) / sigma_t.</summary>
    public double H { get; }

    /// <summary>delta_t = mu_t + h * sigma_t over the calibrated length. Derived; not read back from JSON.</summary>
    public double[] Band { get; }

    /// <summary>The band at call t; past the calibrated length it stays at its last value, as padded curves do.</summary>
    public double BandAt(int t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        return Band[Math.Min(t, Band.Length - 1)];
    }

    /// <summary>The first call t with s_t &gt;= delta_t, or null when the curve never reaches the band.</summary>
    public int? FirstAlarm(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        for (var t = 0; t < scores.Count; t++)
            if (scores[t] >= BandAt(t))
                return t;
        return null;
    }

    /// <summary>
    /// Calibrates on successful curves: shuffles them with <see cref="SplitMix64"/> seeded by <paramref name="seed"/>
    /// (Fisher-Yates, see <see cref="SplitMix64.Shuffle{T}"/>), gives the first max(1, floor(0.3 n)) curves (at most
    /// n - 1) to the mean and modulation and the rest to the conformal quantile, then runs
    /// <see cref="Calibrate(IReadOnlyList{double[]}, IReadOnlyList{double[]}, double)"/>.
    /// </summary>
    public static FunctionalConformalBand Calibrate(IReadOnlyList<double[]> successfulCurves, double alpha, long seed)
    {
        ArgumentNullException.ThrowIfNull(successfulCurves);
        if (successfulCurves.Count < 2)
            throw new ArgumentException(
                $"functional conformal prediction needs at least 2 successful curves (one per part), got {successfulCurves.Count}",
                nameof(successfulCurves));
        Check(successfulCurves, nameof(successfulCurves));
        var order = Enumerable.Range(0, successfulCurves.Count).ToArray();
        new SplitMix64(seed).Shuffle(order);
        var nCal = Math.Clamp((int)Math.Floor(CalibrationShare * successfulCurves.Count), 1, successfulCurves.Count - 1);
        return Calibrate(
            order.Take(nCal).Select(i => successfulCurves[i]).ToArray(),
            order.Skip(nCal).Select(i => successfulCurves[i]).ToArray(),
            alpha);
    }

    /// <summary>
    /// Calibrates with the split given: <paramref name="calibrationPart"/> fixes mu and sigma, <paramref name="conformalPart"/>
    /// fixes h. All curves are padded to the longest one by repeating their last value. Ranks use the finite-sample
    /// conformal rule ceil((n + 1)(1 - alpha)) (the public SAFE code takes a plain quantile instead); the product is
    /// rounded up only past 1e-9 so that float noise (0.7 * 10 = 7.000000000000001) cannot add a rank. When the rank
    /// exceeds the number of curves (too few curves for this alpha) the largest value is used: the band is then the
    /// tightest the data can justify, but the alpha guarantee no longer holds; callers wanting it need
    /// n &gt;= 1/alpha - 1 curves in each part.
    /// </summary>
    public static FunctionalConformalBand Calibrate(
        IReadOnlyList<double[]> calibrationPart, IReadOnlyList<double[]> conformalPart, double alpha)
    {
        ArgumentNullException.ThrowIfNull(calibrationPart);
        ArgumentNullException.ThrowIfNull(conformalPart);
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1");
        if (calibrationPart.Count == 0)
            throw new ArgumentException("the calibration part (mean and modulation) has no curves", nameof(calibrationPart));
        if (conformalPart.Count == 0)
            throw new ArgumentException("the conformal part (quantile h) has no curves", nameof(conformalPart));
        Check(calibrationPart, nameof(calibrationPart));
        Check(conformalPart, nameof(conformalPart));

        var length = calibrationPart.Concat(conformalPart).Max(c => c.Length);
        var cal = calibrationPart.Select(c => Pad(c, length)).ToArray();
        var conf = conformalPart.Select(c => Pad(c, length)).ToArray();

        var mean = new double[length];
        foreach (var curve in cal)
            for (var t = 0; t < length; t++)
                mean[t] += curve[t];
        for (var t = 0; t < length; t++)
            mean[t] /= cal.Length;

        var sup = cal.Select(curve => curve.Select((y, t) => Math.Abs(y - mean[t])).Max()).ToArray();
        var gamma = RankedValue(sup, alpha);
        var sigma = new double[length];
        for (var i = 0; i < cal.Length; i++)
        {
            if (sup[i] > gamma)
                continue;
            for (var t = 0; t < length; t++)
                sigma[t] = Math.Max(sigma[t], Math.Abs(cal[i][t] - mean[t]));
        }

        for (var t = 0; t < length; t++)
            sigma[t] += SigmaFloor;

        var excursions = conf.Select(curve => curve.Select((y, t) => (y - mean[t]) / sigma[t]).Max()).ToArray();
        return new FunctionalConformalBand(alpha, mean, sigma, RankedValue(excursions, alpha));
    }

    /// <summary>The conformal rank ceil((n + 1)(1 - alpha)), clamped to n (see the Calibrate remarks).</summary>
    public static int ConformalRank(int n, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var rank = (int)Math.Ceiling((n + 1) * (1 - alpha) - 1e-9);
        return Math.Clamp(rank, 1, n);
    }

    private static double RankedValue(double[] values, double alpha)
    {
        var sorted = values.Order().ToArray();
        return sorted[ConformalRank(sorted.Length, alpha) - 1];
    }

    private static void Check(IReadOnlyList<double[]> curves, string name)
    {
        for (var i = 0; i < curves.Count; i++)
        {
            if (curves[i] is null || curves[i].Length == 0)
                throw new ArgumentException($"curve {i} is empty", name);
            if (curves[i].Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"curve {i} has a value that is not finite", name);
        }
    }

    private static double[] Pad(double[] curve, int length)
    {
        var padded = new double[length];
        Array.Copy(curve, padded, curve.Length);
        for (var t = curve.Length; t < length; t++)
            padded[t] = curve[^1];
        return padded;
    }
}
