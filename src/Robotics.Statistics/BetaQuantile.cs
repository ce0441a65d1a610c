using MathNet.Numerics;
using BetaDistribution = MathNet.Numerics.Distributions.Beta;

namespace Robotics.Statistics;

/// <summary>
/// Quantiles of the Beta distribution, used by Clopper-Pearson bounds and credible intervals.
/// MathNet's <see cref="BetaDistribution.InvCDF"/> is a bracketing root search with an absolute
/// tolerance, which leaves little relative accuracy for tiny quantiles (a lower bound of 1/10000
/// successes is about 2.5e-6); a few guarded Newton steps on the regularized incomplete beta
/// function polish it to near machine precision.
/// </summary>
internal static class BetaQuantile
{
    /// <summary>The x with I_x(a, b) = p, for a, b &gt; 0 and 0 &lt; p &lt; 1.</summary>
    public static double Of(double a, double b, double p)
    {
        var x = BetaDistribution.InvCDF(a, b, p);
        var logNorm = SpecialFunctions.BetaLn(a, b);
        for (var iteration = 0; iteration < 8; iteration++)
        {
            if (x <= 0 || x >= 1)
            {
                break;
            }

            var error = SpecialFunctions.BetaRegularized(a, b, x) - p;
            var logDensity = ((a - 1) * Math.Log(x)) + ((b - 1) * Math.Log(1 - x)) - logNorm;
            var step = error / Math.Exp(logDensity);
            var next = x - step;
            if (!double.IsFinite(next) || next <= 0 || next >= 1)
            {
                break;
            }

            // Keep the step only if it does not make the residual worse (Newton can overshoot near a
            // boundary where the density is very skewed).
            var nextError = SpecialFunctions.BetaRegularized(a, b, next) - p;
            if (Math.Abs(nextError) > Math.Abs(error))
            {
                break;
            }

            x = next;
            if (Math.Abs(step) <= 1e-15 * x)
            {
                break;
            }
        }

        return x;
    }
}
