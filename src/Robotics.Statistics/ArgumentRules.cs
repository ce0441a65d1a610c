namespace Robotics.Statistics;

/// <summary>
/// The argument checks shared by the estimators in this library (counts, probabilities, confidence
/// levels), so every public entry point rejects bad input with the same clear message naming the
/// offending parameter instead of returning a silently wrong number.
/// </summary>
internal static class ArgumentRules
{
    /// <summary>Requires 0 &lt;= successes &lt;= n.</summary>
    public static void Counts(int successes, int n, string successesName, string nName)
    {
        if (n < 0)
        {
            throw new ArgumentException($"{nName} must be >= 0, got {n}.", nName);
        }

        if (successes < 0)
        {
            throw new ArgumentException($"{successesName} must be >= 0, got {successes}.", successesName);
        }

        if (successes > n)
        {
            throw new ArgumentException(
                $"{successesName} ({successes}) must not exceed {nName} ({n}).", successesName);
        }
    }

    /// <summary>Requires a level strictly between 0 and 1 (a confidence, a credible mass, a power, an alpha).</summary>
    public static void OpenUnit(double level, string name)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentException($"{name} must lie strictly between 0 and 1, got {level}.", name);
        }
    }

    /// <summary>Requires a probability in the closed range [0, 1].</summary>
    public static void Probability(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"{name} must lie in [0, 1], got {p}.", name);
        }
    }

    /// <summary>Requires a finite number (not NaN, not infinite).</summary>
    public static void Finite(double x, string name)
    {
        if (!double.IsFinite(x))
        {
            throw new ArgumentException($"{name} must be a finite number, got {x}.", name);
        }
    }

    /// <summary>Requires every value in a sample to be finite; a NaN return is a bug upstream, not data.</summary>
    public static void AllFinite(IReadOnlyList<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        for (var i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] must be a finite number, got {values[i]}.", name);
            }
        }
    }
}
