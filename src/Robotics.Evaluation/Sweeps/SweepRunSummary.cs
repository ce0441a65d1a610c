namespace Robotics.Evaluation.Sweeps;

/// <summary>What a run did: episodes in the shard, skipped because a resumed folder had them, and run now.</summary>
public sealed record SweepRunSummary(int ShardEpisodes, int Skipped, int Ran, int Successes, TimeSpan Elapsed);
