namespace Robotics.Detectors.Evaluation;

/// <summary>
/// The two running aggregates the SAFE protocol uses: handcrafted per-call scores become a running mean (so one odd
/// call does not dominate, and the curve still only uses calls 0..t), and every curve is judged by its running maximum
/// (a detector that once raised its score has raised the alarm).
/// </summary>
public static class ScoreCurves
{
    /// <summary>m_t = mean of x_0..x_t.</summary>
    public static double[] RunningMean(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = new double[values.Count];
        var sum = 0.0;
        for (var t = 0; t < values.Count; t++)
        {
            sum += values[t];
            result[t] = sum / (t + 1);
        }

        return result;
    }

    /// <summary>The largest of the first <paramref name="calls"/> values (all of them when the curve is shorter).</summary>
    public static double MaxUpTo(IReadOnlyList<double> curve, int calls)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls);
        if (curve.Count == 0)
            throw new ArgumentException("the score curve is empty", nameof(curve));
        var max = double.NegativeInfinity;
        for (var t = 0; t < Math.Min(calls, curve.Count); t++)
            max = Math.Max(max, curve[t]);
        return max;
    }
}
