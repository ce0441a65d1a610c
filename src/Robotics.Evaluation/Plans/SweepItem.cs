using Robotics.Sims.Rollouts;

namespace Robotics.Evaluation.Plans;

/// <summary>Episode <see cref="Episode"/> of a cell: the unit of work, of sharding and of the result store.</summary>
public sealed record SweepItem(SweepCell Cell, int Episode)
{
    public string Key => $"{Cell.Key}|{Episode}";

    /// <summary>
    /// The episode's seed: from the plan seed, the environment, task and condition, and the episode index. The
    /// policy is left out on purpose, so all policies of a plan are compared on the same episodes.
    /// </summary>
    public long Seed(long planSeed) =>
        RolloutRunner.EpisodeSeed(unchecked(planSeed ^ (long)StableHash.Of($"{Cell.Environment}|{Cell.Task}|{Cell.Condition}")), Episode);
}
