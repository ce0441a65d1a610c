namespace Robotics.Evaluation.Rollouts;

/// <summary>
/// One policy call of a rollout, kept when features are asked for (failure detectors learn from these): the step,
/// the policy's feature vector (<see cref="Robotics.Core.Policies.PolicyChunk.Features"/>), the actions executed from the
/// chunk, the whole predicted chunk (consecutive chunks' overlap is what STAC compares) and, when asked for, K extra
/// chunks sampled for the same history ([k][horizon][action_dim]; sampling-consistency baselines).
/// </summary>
public sealed record PolicyCallRecord(int Step, float[] Features, float[][] ExecutedActions, float[][]? Chunk = null, float[][][]? Samples = null);
