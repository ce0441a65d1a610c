using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>Training-time task dropout: the whole task token (goal dropout) and the task id alone; draws per sample of the global batch when sharded.</summary>
public sealed record TaskDropout(double GoalProbability, double IdProbability, Generator Generator, BatchShard? Shard = null);
