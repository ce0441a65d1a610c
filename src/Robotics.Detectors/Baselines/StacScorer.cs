using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Baselines;

/// <summary>
/// STAC (statistical temporal action consistency): a policy that is confused changes its mind between calls, so the
/// part of the previous chunk that was not executed disagrees with the start of the new chunk. At call t the previous
/// chunk (made at step Steps[t-1]) and the new one (made at Steps[t]) both cover steps Steps[t] .. Steps[t-1] + H - 1;
/// the score is the squared MMD (biased V-statistic) between those two sets of actions under an RBF kernel
/// k(x, y) = exp(-||x - y||^2 / (2 b^2)). The bandwidth b is the median heuristic taken once, at fit, over the overlap
/// actions of the SUCCESSFUL training rollouts, so scores are comparable across calls and rollouts
/// (training rollouts taken in ordinal id order, so the fit does not depend on their order). Call 0, and a call
/// whose chunks do not overlap (the previous chunk was fully executed), score 0. The curve is the running mean.
/// </summary>
public sealed class StacScorer : IFailureScorer
{
    public StacScorer(int actionDim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(actionDim);
        ActionDim = actionDim;
    }

    /// <summary>Width of one action: the executed chunks are [horizon * ActionDim], row-major by step.</summary>
    public int ActionDim { get; }

    /// <summary>The RBF bandwidth chosen at fit (NaN before).</summary>
    public double Bandwidth { get; private set; } = double.NaN;

    public string Name => "stac";

    public void Fit(IReadOnlyList<FeatureRollout> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var successes = train.Where(r => r.Success).OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
        if (successes.Length == 0)
            throw new ArgumentException("stac is fitted on successful rollouts and the training set has none", nameof(train));
        var points = new List<double[]>();
        foreach (var rollout in successes)
            for (var t = 1; t < rollout.Calls; t++)
                if (Overlap(rollout, t) is { } pair)
                    points.AddRange(pair.Previous.Concat(pair.Current));
        Bandwidth = ActionRows.MedianDistance(points);
    }

    public double[] Scores(FeatureRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (double.IsNaN(Bandwidth))
            throw new InvalidOperationException("stac must be fitted before it scores");
        var mmd = new double[rollout.Calls];
        for (var t = 1; t < rollout.Calls; t++)
            if (Overlap(rollout, t) is { } pair)
                mmd[t] = SquaredMmd(pair.Previous, pair.Current);
        return ScoreCurves.RunningMean(mmd);
    }

    private (double[][] Previous, double[][] Current)? Overlap(FeatureRollout rollout, int t)
    {
        var chunks = rollout.ExecutedChunks ?? throw new InvalidOperationException(
            $"stac needs FeatureRollout.ExecutedChunks (the chunk each call produced); rollout {rollout.Id} has none");
        if (chunks.Length != rollout.Calls || rollout.Steps.Length != rollout.Calls)
            throw new ArgumentException(
                $"rollout {rollout.Id}: {chunks.Length} executed chunks and {rollout.Steps.Length} steps for {rollout.Calls} calls");
        var previous = ActionRows.Split(chunks[t - 1], ActionDim, Name, $"rollout {rollout.Id} chunk {t - 1}");
        var current = ActionRows.Split(chunks[t], ActionDim, Name, $"rollout {rollout.Id} chunk {t}");
        var offset = rollout.Steps[t] - rollout.Steps[t - 1];
        var length = Math.Min(previous.Length - offset, current.Length);
        if (offset <= 0 || length <= 0)
            return null;
        return (previous[offset..(offset + length)], current[..length]);
    }

    private double SquaredMmd(double[][] x, double[][] y)
    {
        var scale = 1 / (2 * Bandwidth * Bandwidth);
        double Mean(double[][] a, double[][] b)
        {
            var sum = 0.0;
            foreach (var u in a)
                foreach (var v in b)
                {
                    var d = ActionRows.Distance(u, v);
                    sum += Math.Exp(-d * d * scale);
                }

            return sum / (a.Length * b.Length);
        }

        return Math.Max(0, Mean(x, x) + Mean(y, y) - 2 * Mean(x, y));
    }
}
