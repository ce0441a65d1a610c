namespace Robotics.Sims.Environments;

/// <summary>The first observation of an episode and its info.</summary>
public sealed record ResetResult(float[] Observation, StepInfo Info);
