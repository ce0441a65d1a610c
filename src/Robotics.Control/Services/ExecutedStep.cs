namespace Robotics.Control.Services;

/// <summary>An action row the host sent for a step (the raw material of backtracking).</summary>
public sealed record ExecutedStep(long Step, float[] Action);
