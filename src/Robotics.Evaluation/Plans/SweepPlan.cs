using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Policies;

namespace Robotics.Evaluation.Plans;

/// <summary>
/// A sweep: every policy x environment x task x condition is a cell, each run for <see cref="EpisodesPerCell"/>
/// episodes. Episode i of a cell is seeded from (plan seed, environment, task, condition, i), not from the policy,
/// so every policy meets the same initial states and faults (paired comparisons).
/// </summary>
public sealed record SweepPlan(
    string Name,
    long Seed,
    int EpisodesPerCell,
    IReadOnlyList<PolicySpec> Policies,
    IReadOnlyList<EnvironmentPlan> Environments,
    IReadOnlyList<EvaluationCondition> Conditions,
    bool RecordFeatures = false,
    string Device = "cpu",
    int SamplesPerCall = 0)
{
    /// <summary>The cells in their canonical order (policy, environment, task, condition).</summary>
    public IReadOnlyList<SweepCell> Cells() =>
        (from policy in Policies
         from env in Environments
         where policy.RunsIn(env.Id)
         from task in env.Tasks
         from condition in Conditions
         where condition.AppliesTo(env.Id)
         select new SweepCell(policy.Name, env.Id, task, condition.Name)).ToArray();

    /// <summary>Every episode of the sweep in canonical order; a shard takes every n-th of these.</summary>
    public IReadOnlyList<SweepItem> Items() =>
        Cells().SelectMany(cell => Enumerable.Range(0, Episodes(cell.Environment)).Select(e => new SweepItem(cell, e))).ToArray();

    /// <summary>Episodes per cell in <paramref name="environment"/>: its own count, else the plan's.</summary>
    public int Episodes(string environment) => Environments.First(e => e.Id == environment).EpisodesPerCell ?? EpisodesPerCell;

    public PolicySpec Policy(string name) => Policies.First(p => p.Name == name);

    public EvaluationCondition Condition(string name) => Conditions.First(c => c.Name == name);
}
