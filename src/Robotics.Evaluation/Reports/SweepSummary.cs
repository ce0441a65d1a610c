using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Store;
using Robotics.Statistics;

namespace Robotics.Evaluation.Reports;

/// <summary>
/// The statistics of a sweep folder: every cell, every policy pooled over tasks per environment and condition,
/// pairwise comparisons with letters, and what sample sizes can tell. Deterministic for the same records.
/// </summary>
public sealed record SweepSummary(string Plan, int Episodes, IReadOnlyList<CellSummary> Cells, IReadOnlyList<CellSummary> Policies,
    IReadOnlyList<ComparisonGroup> Comparisons, SampleSizeAdvice Advice)
{
    public static SweepSummary From(SweepPlan plan, IReadOnlyList<SweepRecord> records)
    {
        if (records.Count == 0)
            throw new InvalidDataException("the sweep folder holds no finished episodes yet");
        var cells = records.GroupBy(r => (r.Policy, r.Environment, r.Task, r.Condition))
            .Select(g => Summarize(g.Key.Policy, g.Key.Environment, g.Key.Task, g.Key.Condition, g.ToArray()))
            .OrderBy(c => Order(plan, c)).ToArray();
        var policies = records.GroupBy(r => (r.Policy, r.Environment, r.Condition))
            .Select(g => Summarize(g.Key.Policy, g.Key.Environment, null, g.Key.Condition, g.ToArray()))
            .OrderBy(c => Order(plan, c)).ToArray();
        var comparisons = policies.GroupBy(p => (p.Environment, p.Condition)).Where(g => g.Count() > 1)
            .Select(g => Compare(g.Key.Environment, g.Key.Condition, g.ToArray())).ToArray();
        double reference = Math.Clamp(records.Count(r => r.Result.Success) / (double)records.Count, 0.05, 0.9);
        int perPolicy = policies.Length == 0 ? 0 : (int)policies.Average(p => p.Episodes);
        // The smallest cell speaks for the sweep: what it can tell is the weakest claim the report makes.
        int perCell = cells.Min(c => c.Episodes);
        var advice = new SampleSizeAdvice(perCell, reference, SampleSize.DetectableDifference(reference, perCell),
            perPolicy, perPolicy > 0 ? SampleSize.DetectableDifference(reference, perPolicy) : double.NaN,
            SampleSize.EpisodesPerArm(reference, Math.Min(1, reference + 0.10)));
        return new SweepSummary(plan.Name, records.Count, cells, policies, comparisons, advice);
    }

    public static SweepSummary FromFolder(string directory) => From(ResultStore.ReadPlan(directory), ResultStore.Read(directory));

    private static CellSummary Summarize(string policy, string environment, int? task, string condition, SweepRecord[] episodes)
    {
        int n = episodes.Length, s = episodes.Count(e => e.Result.Success);
        var returns = episodes.Select(e => e.Result.Return).ToArray();
        var (meanReturn, returnInterval) = MeanEstimate.StudentT(returns);
        var normalized = episodes.Where(e => e.Result.NormalizedScore is not null).Select(e => e.Result.NormalizedScore!.Value).ToArray();
        (double Mean, Interval Interval)? score = normalized.Length == n ? MeanEstimate.StudentT(normalized) : null;
        return new CellSummary(policy, environment, task, condition, n, s, s / (double)n, Proportion.Wilson(s, n), Proportion.ClopperPearson(s, n),
            BetaPosterior.FromCounts(s, n).CredibleInterval(), meanReturn, returnInterval, score?.Mean, score?.Interval,
            episodes.Average(e => e.Result.MeanInferenceMs), episodes.Average(e => e.Result.Steps));
    }

    private static ComparisonGroup Compare(string environment, string condition, CellSummary[] policies)
    {
        var groups = policies.Select(p => new GroupCount(p.Policy, p.Successes, p.Episodes)).ToArray();
        var pairs = PairwiseComparison.Compare(groups);
        var better = pairs.Select(p =>
        {
            var a = policies.First(x => x.Policy == p.A).Posterior;
            var b = policies.First(x => x.Policy == p.B).Posterior;
            return BetaPosterior.ProbabilityGreater(a, b);
        }).ToArray();
        var ordered = policies.OrderByDescending(p => p.Rate).ThenBy(p => p.Policy, StringComparer.Ordinal).Select(p => p.Policy).ToArray();
        return new ComparisonGroup(environment, condition, pairs, better, CompactLetterDisplay.Letters(ordered, pairs));
    }

    private static (int, int, int, int) Order(SweepPlan plan, CellSummary c) => (
        plan.Policies.ToList().FindIndex(p => p.Name == c.Policy),
        plan.Environments.ToList().FindIndex(e => e.Id == c.Environment),
        c.Task ?? -1,
        plan.Conditions.ToList().FindIndex(x => x.Name == c.Condition));
}
