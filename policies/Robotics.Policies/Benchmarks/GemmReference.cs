using System.Diagnostics;
using static TorchSharp.torch;

namespace Robotics.Policies.Benchmarks;

/// <summary>
/// The machine's matrix-product ceiling at the sizes the model works at, measured with libtorch's own BLAS in the
/// same run and thread setting: a plain (M x K)·(K x N) float32 product, best of several repeats.
/// </summary>
public static class GemmReference
{
    public static double GigaflopsPerSecond(long m, long k, long n, int repeats = 30)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var a = randn(m, k);
        var b = randn(k, n);
        for (int i = 0; i < 5; i++)
            a.matmul(b).Dispose();
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 5; i++)
                a.matmul(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds / 5);
        }

        return 2.0 * m * k * n / best / 1e9;
    }
}
