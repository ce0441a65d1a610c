namespace Robotics.Statistics;

/// <summary>
/// A closed range [<see cref="Low"/>, <see cref="High"/>] that an estimate is believed to lie in: a
/// confidence interval, a credible interval or a bootstrap interval. Reporting the interval, not only
/// the point estimate, is what lets a sweep say how sure it is about a success rate.
/// </summary>
/// <param name="Low">Lower end (inclusive). <see cref="double.NaN"/> when the data cannot support an interval.</param>
/// <param name="High">Upper end (inclusive). <see cref="double.NaN"/> when the data cannot support an interval.</param>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>How wide the interval is: the smaller, the more the data pin the quantity down.</summary>
    public double Width => High - Low;

    /// <summary>Whether <paramref name="x"/> lies in the closed interval (false for a NaN interval).</summary>
    public bool Contains(double x) => x >= Low && x <= High;

    /// <summary>Formats as <c>[low, high]</c> with four decimals, for logs and reports.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Low:F4}, {High:F4}]");
}
