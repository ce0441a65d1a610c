using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// Sampling consistency as multimodality: at each call the K sampled chunks are grouped by single-linkage clustering
/// (two chunks join when their Euclidean distance is at most a threshold) and the score is the Shannon entropy (nats)
/// of the cluster sizes, 0 when all samples agree and ln K when all differ. The threshold is fixed at fit as the
/// median pairwise distance between same-call samples of the SUCCESSFUL training rollouts, so "agree" means "as close
/// as samples usually are when the policy succeeds". Running mean over calls.
/// </summary>
public sealed class SampleClusterEntropyScorer : IFailureScorer
{
    public string Name => "sample-cluster-entropy";

    /// <summary>The linkage distance chosen at fit (NaN before).</summary>
    public double Threshold { get; private set; } = double.NaN;

    public void Fit(IReadOnlyList<FeatureRollout> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var distances = new List<double>();
        foreach (var rollout in train.Where(r => r.Success))
            foreach (var samples in SampleVarianceScorer.SampledChunksOf(rollout, Name))
                for (var i = 0; i < samples.Length; i++)
                    for (var j = i + 1; j < samples.Length; j++)
                        distances.Add(Distance(samples[i], samples[j]));
        if (distances.Count == 0)
            throw new ArgumentException(
                $"{Name} is fitted on successful rollouts with at least 2 sampled chunks per call; the training set has none",
                nameof(train));
        distances.Sort();
        var mid = distances.Count / 2;
        Threshold = distances.Count % 2 == 1 ? distances[mid] : (distances[mid - 1] + distances[mid]) / 2;
    }

    public double[] Scores(FeatureRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (double.IsNaN(Threshold))
            throw new InvalidOperationException($"{Name} must be fitted before it scores");
        var sampled = SampleVarianceScorer.SampledChunksOf(rollout, Name);
        return ScoreCurves.RunningMean(sampled.Select(Entropy).ToArray());
    }

    private double Entropy(float[][] samples)
    {
        var parent = Enumerable.Range(0, samples.Length).ToArray();
        int Root(int i)
        {
            while (parent[i] != i)
                i = parent[i] = parent[parent[i]];
            return i;
        }

        for (var i = 0; i < samples.Length; i++)
            for (var j = i + 1; j < samples.Length; j++)
                if (Distance(samples[i], samples[j]) <= Threshold)
                    parent[Root(i)] = Root(j);
        var entropy = 0.0;
        foreach (var size in Enumerable.Range(0, samples.Length).GroupBy(Root).Select(g => g.Count()))
        {
            var p = size / (double)samples.Length;
            entropy -= p * Math.Log(p);
        }

        return entropy;
    }

    private static double Distance(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }
}
