namespace Robotics.Core.Policies;

/// <summary>
/// The result of one policy call: an action chunk (horizon rows of action_dim values, in the
/// environment's units) and the internal feature vector a failure detector reads for this call.
/// </summary>
public sealed record PolicyChunk(float[][] Actions, float[] Features, TimeSpan InferenceTime);
