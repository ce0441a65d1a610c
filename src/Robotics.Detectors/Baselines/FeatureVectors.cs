using System.Numerics;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// SIMD inner products for the distance baselines: k-NN touches every reference call and Mahalanobis every precision
/// row for each scored call, so with 512-wide features these loops are the whole cost.
/// </summary>
internal static class FeatureVectors
{
    public static double Dot(double[] a, double[] b)
    {
        var width = Vector<double>.Count;
        var acc = Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
            acc += new Vector<double>(a, i) * new Vector<double>(b, i);
        var sum = Vector.Dot(acc, Vector<double>.One);
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    public static double SquaredDistance(double[] a, double[] b)
    {
        var width = Vector<double>.Count;
        var acc = Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
        {
            var d = new Vector<double>(a, i) - new Vector<double>(b, i);
            acc += d * d;
        }

        var sum = Vector.Dot(acc, Vector<double>.One);
        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }
}
