using MathNet.Numerics;
using BetaDistribution = MathNet.Numerics.Distributions.Beta;

namespace Robotics.Statistics;

/// <summary>
/// The Bayesian view of a success rate: with a Beta(prior) prior and k successes in n episodes the
/// rate's posterior is Beta(priorAlpha + k, priorBeta + n - k). It answers the question a policy
/// comparison actually asks, "how likely is it that policy A is better than policy B?"
/// (<see cref="ProbabilityGreater"/>), instead of only "is the difference significant?".
/// </summary>
/// <param name="Alpha">First shape parameter (prior pseudo-successes plus successes), &gt; 0.</param>
/// <param name="Beta">Second shape parameter (prior pseudo-failures plus failures), &gt; 0.</param>
public sealed record BetaPosterior(double Alpha, double Beta)
{
    /// <summary>Above this many terms the closed form of <see cref="ProbabilityGreater"/> is slower than integration.</summary>
    internal const int MaxClosedFormTerms = 100_000;

    /// <summary>Pieces per distribution that the numerical integration splits [0, 1] into (at quantiles).</summary>
    private const int QuadraturePieces = 32;

    /// <summary>First shape parameter, &gt; 0 and finite.</summary>
    public double Alpha { get; init => field = Positive(value, nameof(Alpha)); } = Positive(Alpha, nameof(Alpha));

    /// <summary>Second shape parameter, &gt; 0 and finite.</summary>
    public double Beta { get; init => field = Positive(value, nameof(Beta)); } = Positive(Beta, nameof(Beta));

    /// <summary>Posterior mean rate, alpha / (alpha + beta); with the uniform prior this is (k+1)/(n+2).</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>
    /// The posterior after observing <paramref name="successes"/> of <paramref name="n"/> episodes,
    /// starting from a Beta(<paramref name="priorAlpha"/>, <paramref name="priorBeta"/>) prior
    /// (default uniform; use 0.5, 0.5 for Jeffreys).
    /// </summary>
    public static BetaPosterior FromCounts(int successes, int n, double priorAlpha = 1, double priorBeta = 1)
    {
        ArgumentRules.Counts(successes, n, nameof(successes), nameof(n));
        Positive(priorAlpha, nameof(priorAlpha));
        Positive(priorBeta, nameof(priorBeta));
        return new BetaPosterior(priorAlpha + successes, priorBeta + (n - successes));
    }

    /// <summary>
    /// The equal-tailed credible interval holding <paramref name="mass"/> of the posterior probability
    /// ((1 - mass)/2 in each tail).
    /// </summary>
    public Interval CredibleInterval(double mass = 0.95)
    {
        ArgumentRules.OpenUnit(mass, nameof(mass));
        var tail = (1 - mass) / 2;
        return new Interval(BetaQuantile.Of(Alpha, Beta, tail), BetaQuantile.Of(Alpha, Beta, 1 - tail));
    }

    /// <summary>
    /// The posterior density at rate <paramref name="x"/> (0 outside [0, 1]), for plotting the
    /// posteriors of compared policies. Computed in log space so large counts do not overflow.
    /// </summary>
    public double Density(double x)
    {
        if (double.IsNaN(x))
        {
            throw new ArgumentException("x must not be NaN.", nameof(x));
        }

        return DensityOf(Alpha, Beta, x);
    }

    /// <summary>
    /// P(p_a &gt; p_b) for independent rates p_a ~ <paramref name="a"/> and p_b ~ <paramref name="b"/>:
    /// the probability that policy A's true success rate beats policy B's. Uses Evan Miller's exact
    /// finite sum when one of the first shape parameters is an integer (always so for counts with an
    /// integer prior), otherwise numerical integration.
    /// </summary>
    public static double ProbabilityGreater(BetaPosterior a, BetaPosterior b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ClosedFormApplies(a))
        {
            return ClosedFormGreater(a, b);
        }

        if (ClosedFormApplies(b))
        {
            return Math.Clamp(1 - ClosedFormGreater(b, a), 0, 1);
        }

        return NumericalGreater(a, b);
    }

    /// <summary>Whether <see cref="ClosedFormGreater"/> may take <paramref name="x"/> as its first argument.</summary>
    internal static bool ClosedFormApplies(BetaPosterior x) =>
        x.Alpha == Math.Floor(x.Alpha) && x.Alpha <= MaxClosedFormTerms;

    /// <summary>
    /// P(p_x &gt; p_y) by Evan Miller's formula ("Formulas for Bayesian A/B testing", 2015), which
    /// needs an integer x.Alpha:
    /// sum over i = 0..x.Alpha-1 of B(y.Alpha + i, y.Beta + x.Beta) / ((x.Beta + i) B(1 + i, x.Beta) B(y.Alpha, y.Beta)),
    /// each term evaluated in log space. A sum of positive terms, so small probabilities keep their
    /// relative accuracy.
    /// </summary>
    internal static double ClosedFormGreater(BetaPosterior x, BetaPosterior y)
    {
        if (!ClosedFormApplies(x))
        {
            throw new ArgumentException(
                $"The closed form needs an integer x.Alpha of at most {MaxClosedFormTerms}, got {x.Alpha}.", nameof(x));
        }

        var terms = (int)x.Alpha;
        var logNormY = SpecialFunctions.BetaLn(y.Alpha, y.Beta);
        var total = 0.0;
        for (var i = 0; i < terms; i++)
        {
            total += Math.Exp(
                SpecialFunctions.BetaLn(y.Alpha + i, y.Beta + x.Beta)
                - Math.Log(x.Beta + i)
                - SpecialFunctions.BetaLn(1 + i, x.Beta)
                - logNormY);
        }

        return Math.Clamp(total, 0, 1);
    }

    /// <summary>
    /// P(p_x &gt; p_y) = integral over [0, 1] of density_x(t) * CDF_y(t) dt. [0, 1] is first cut at
    /// quantiles of both distributions, so each piece holds at most 1/32 of either's mass and a sharply
    /// peaked posterior (thousands of episodes) is resolved. Interior pieces use double-exponential
    /// quadrature; on an end piece where the density is infinite (shape below 1) the substitution
    /// t = c v^(1/alpha) (or its mirror at 1) cancels the t^(alpha-1) factor, whose singularity
    /// plain quadrature integrates poorly (MathNet's double-exponential rule is off by 1e-7 on
    /// 1/sqrt(t) and far worse on t^-0.9).
    /// </summary>
    internal static double NumericalGreater(BetaPosterior x, BetaPosterior y)
    {
        var cuts = new SortedSet<double>();
        for (var j = 1; j < QuadraturePieces; j++)
        {
            var p = (double)j / QuadraturePieces;
            cuts.Add(BetaDistribution.InvCDF(x.Alpha, x.Beta, p));
            cuts.Add(BetaDistribution.InvCDF(y.Alpha, y.Beta, p));
        }

        cuts.RemoveWhere(cut => !(cut > 0 && cut < 1));
        var logNorm = SpecialFunctions.BetaLn(x.Alpha, x.Beta);
        double CdfY(double t) => SpecialFunctions.BetaRegularized(y.Alpha, y.Beta, t);
        double Interior(double t) => DensityOf(x.Alpha, x.Beta, t) * CdfY(t);

        var first = cuts.Min;
        var last = cuts.Max;

        // Left end [0, c]: t = c v^(1/alpha) turns t^(alpha-1) dt into c^alpha / alpha dv.
        double Left(double v)
        {
            var t = first * Math.Pow(v, 1 / x.Alpha);
            var logWeight = (x.Alpha * Math.Log(first)) - Math.Log(x.Alpha) + ((x.Beta - 1) * Math.Log(1 - t)) - logNorm;
            return Math.Exp(logWeight) * CdfY(t);
        }

        // Right end [1 - e, 1]: 1 - t = e v^(1/beta) turns (1-t)^(beta-1) dt into e^beta / beta dv.
        var e = 1 - last;
        double Right(double v)
        {
            var s = e * Math.Pow(v, 1 / x.Beta);
            var logWeight = (x.Beta * Math.Log(e)) - Math.Log(x.Beta) + ((x.Alpha - 1) * Math.Log(1 - s)) - logNorm;
            return Math.Exp(logWeight) * CdfY(1 - s);
        }

        // Only where the density is singular: for larger shapes the substitution would squeeze the
        // piece's mass into v of order 1e-20 and below, where the quadrature has no nodes.
        var total = x.Alpha < 1
            ? Integrate.DoubleExponential(Left, 0, 1, 1e-12)
            : Integrate.DoubleExponential(Interior, 0, first, 1e-12);
        total += x.Beta < 1
            ? Integrate.DoubleExponential(Right, 0, 1, 1e-12)
            : Integrate.DoubleExponential(Interior, last, 1, 1e-12);
        var previous = first;
        foreach (var cut in cuts)
        {
            if (cut > previous)
            {
                total += Integrate.DoubleExponential(Interior, previous, cut, 1e-12);
            }

            previous = cut;
        }

        return Math.Clamp(total, 0, 1);
    }

    /// <summary>Beta(alpha, beta) density at x, in log space, with the boundary limits handled.</summary>
    private static double DensityOf(double alpha, double beta, double x)
    {
        if (x < 0 || x > 1)
        {
            return 0;
        }

        var logNorm = SpecialFunctions.BetaLn(alpha, beta);
        if (x == 0 || x == 1)
        {
            var shape = x == 0 ? alpha : beta;
            return shape < 1 ? double.PositiveInfinity : shape > 1 ? 0 : Math.Exp(-logNorm);
        }

        return Math.Exp(((alpha - 1) * Math.Log(x)) + ((beta - 1) * Math.Log(1 - x)) - logNorm);
    }

    private static double Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be a positive finite number, got {value}.", name);
        }

        return value;
    }
}
