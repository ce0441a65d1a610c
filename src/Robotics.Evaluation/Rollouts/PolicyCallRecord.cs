namespace Robotics.Evaluation.Rollouts;

/// <summary>
/// One policy call of a rollout, kept when features are asked for (failure detectors learn from these): the step,
/// the policy's feature vector (<see cref="Robotics.Core.Policies.PolicyChunk.Features"/>) and the actions executed from the chunk.
/// </summary>
public sealed record PolicyCallRecord(int Step, float[] Features, float[][] ExecutedActions);
