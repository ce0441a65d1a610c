using Robotics.Evaluation.Store;

namespace Robotics.Evaluation.Sweeps;

/// <summary>How to run a plan: worker threads (0: one per core), which shard, and whether to continue a folder.</summary>
public sealed record SweepRunOptions(int Workers = 0, ShardSpec? Shard = null, bool Resume = false);
