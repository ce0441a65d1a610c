using Robotics.Detectors.Data;

namespace Robotics.Detectors.Tests.Support;

/// <summary>
/// Rollouts with a known answer. Successful rollouts: features scattered around one centre; each executed chunk follows
/// one smooth action trajectory, so consecutive chunks agree where they overlap; sampled chunks sit tightly around it.
/// Failed rollouts, when <c>separable</c>: features drift away from the centre, each call's chunk is shifted by a fresh
/// offset (consecutive chunks disagree), and the sampled chunks are widely spread. When not separable, failures are
/// drawn exactly like successes. The feature centre is the same for every seed, so train and test sets match.
/// </summary>
public static class SyntheticRollouts
{
    public const int Width = 16, Calls = 20, Horizon = 16, ActionDim = 2, Executed = 8, Samples = 10;

    public static FeatureRollout[] Make(int seed, int successes, int failures, bool separable)
    {
        var fixedCentre = new Random(12345);
        var centre = Enumerable.Range(0, Width).Select(_ => 3 * Gaussian(fixedCentre)).ToArray();
        var random = new Random(seed);
        return Enumerable.Range(0, successes + failures)
            .Select(i => One(random, centre, $"s{seed}-{i}", i % 3, success: i < successes, drift: separable && i >= successes))
            .ToArray();
    }

    private static FeatureRollout One(Random random, double[] centre, string id, int task, bool success, bool drift)
    {
        var direction = Enumerable.Range(0, Width).Select(_ => Gaussian(random)).ToArray();
        var norm = Math.Sqrt(direction.Sum(v => v * v));
        var phase = Enumerable.Range(0, ActionDim).Select(_ => 2 * Math.PI * random.NextDouble()).ToArray();
        var steps = Enumerable.Range(0, Calls).Select(t => Executed * t).ToArray();
        var features = new float[Calls][];
        var executed = new float[Calls][];
        var sampled = new float[Calls][][];
        for (var t = 0; t < Calls; t++)
        {
            var shift = drift ? 8.0 * (0.5 + 0.5 * t / Calls) : 0;
            features[t] = Enumerable.Range(0, Width)
                .Select(j => (float)(centre[j] + Gaussian(random) + shift * direction[j] / norm)).ToArray();
            var offset = Enumerable.Range(0, ActionDim).Select(_ => drift ? 0.5 * Gaussian(random) : 0).ToArray();
            var chunk = new float[Horizon * ActionDim];
            for (var h = 0; h < Horizon; h++)
                for (var a = 0; a < ActionDim; a++)
                    chunk[h * ActionDim + a] = (float)(Math.Sin(0.05 * (steps[t] + h) + phase[a]) + offset[a] + 0.02 * Gaussian(random));
            executed[t] = chunk;
            var spread = drift ? 0.5 : 0.05;
            sampled[t] = Enumerable.Range(0, Samples)
                .Select(_ => chunk.Select(v => (float)(v + spread * Gaussian(random))).ToArray()).ToArray();
        }

        return new FeatureRollout(id, task, success, Executed * Calls, steps, features, null, executed, sampled);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
