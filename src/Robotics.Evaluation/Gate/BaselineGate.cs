using Robotics.Evaluation.Reports;
using Robotics.Statistics;

namespace Robotics.Evaluation.Gate;

/// <summary>
/// The CI gate: is a policy worse than its baseline with the stated confidence? Each policy x environment x
/// condition (pooled over tasks, where the episodes are) is compared by the posterior probability that its success
/// rate is below the baseline's (independent Beta(1 + s, 1 + f) posteriors). With m comparisons each must clear
/// 1 - (1 - confidence) / m (Bonferroni), so an unchanged policy set fails the gate with probability at most about
/// 1 - confidence, however many cells the sweep has. Cells of one run only are listed, not judged.
/// </summary>
public static class BaselineGate
{
    public static GateResult Check(SweepSummary run, SweepSummary baseline, double confidence = 0.95)
    {
        if (confidence is <= 0.5 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be in (0.5, 1)");
        static string Key(CellSummary c) => $"{c.Policy} / {c.Environment} / {c.Condition}";
        var before = baseline.Policies.ToDictionary(Key);
        var now = run.Policies.ToDictionary(Key);
        var shared = now.Keys.Where(before.ContainsKey).ToArray();
        double bar = 1 - (1 - confidence) / Math.Max(1, shared.Length);
        var findings = shared.Select(k =>
        {
            var (a, b) = (now[k], before[k]);
            double worse = BetaPosterior.ProbabilityGreater(b.Posterior, a.Posterior);
            return new GateFinding(a.Policy, a.Environment, a.Condition, a.Episodes, a.Rate, b.Episodes, b.Rate, worse, worse > bar);
        }).ToArray();
        return new GateResult(findings, bar, before.Keys.Where(k => !now.ContainsKey(k)).ToArray(), now.Keys.Where(k => !before.ContainsKey(k)).ToArray());
    }
}
