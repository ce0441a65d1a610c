namespace Robotics.Detectors.Torch.Tests;

/// <summary>ROC-AUC as the Mann-Whitney statistic: P(score of a failed rollout > score of a successful one), ties count half.</summary>
public static class MannWhitney
{
    public static double Auc(IReadOnlyList<(double score, bool failed)> pairs)
    {
        var positives = pairs.Where(p => p.failed).Select(p => p.score).ToArray();
        var negatives = pairs.Where(p => !p.failed).Select(p => p.score).ToArray();
        double wins = 0;
        foreach (double p in positives)
            foreach (double n in negatives)
                wins += p > n ? 1 : p == n ? 0.5 : 0;
        return wins / (positives.Length * (double)negatives.Length);
    }
}
