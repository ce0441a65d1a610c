namespace Robotics.Policies.Nn;

/// <summary>
/// Which rows of a global batch this process holds in data-parallel training: rows [Offset, Offset + local size) of
/// <see cref="Global"/>. Per-sample random draws are taken for the whole global batch from the step's generator and
/// cut to these rows (<see cref="ShardedRandom"/>), so every sample sees the noise it would see in a one-process run.
/// </summary>
public sealed record BatchShard(long Offset, long Global);
