using Robotics.Detectors.Data;

namespace Robotics.Detectors.Torch.Tests;

/// <summary>
/// Small synthetic rollout sets. Features are Gaussian noise around a per-rollout offset; when <c>visible</c> is true a
/// failed rollout's features drift along a fixed unit direction after a random onset (as a policy's features do when it
/// slips off the data), otherwise labels are independent of the features. Lengths have the same distribution for both
/// classes, so length alone tells nothing.
/// </summary>
public static class SyntheticRollouts
{
    public static List<FeatureRollout> Make(int count, int dimension, bool visible, int seed, int minCalls = 20, int maxCalls = 30, int tasks = 1, double maxDrift = 3.0)
    {
        var random = new Random(seed);
        var direction = new double[dimension];
        var directionRandom = new Random(12345); // the same failure direction for every set
        for (int d = 0; d < dimension; d++)
            direction[d] = Gaussian(directionRandom);
        double norm = Math.Sqrt(direction.Sum(v => v * v));
        for (int d = 0; d < dimension; d++)
            direction[d] /= norm;

        var rollouts = new List<FeatureRollout>(count);
        for (int i = 0; i < count; i++)
        {
            bool failed = i % 2 == 1;
            int calls = random.Next(minCalls, maxCalls + 1);
            int onset = (int)(calls * (0.2 + 0.3 * random.NextDouble()));
            var offset = Enumerable.Range(0, dimension).Select(_ => 0.3 * Gaussian(random)).ToArray();
            var features = new float[calls][];
            for (int t = 0; t < calls; t++)
            {
                var row = new float[dimension];
                double drift = visible && failed && t >= onset ? Math.Min(maxDrift, 0.4 * (t - onset + 1)) : 0;
                for (int d = 0; d < dimension; d++)
                    row[d] = (float)(5 + 2 * (offset[d] + Gaussian(random) + drift * direction[d]));
                features[t] = row;
            }

            rollouts.Add(new FeatureRollout($"r{seed}-{i}", i % tasks, !failed, calls * 10, Enumerable.Range(0, calls).Select(t => t * 10).ToArray(), features));
        }

        return rollouts;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
