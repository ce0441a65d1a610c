namespace Robotics.Control.Services;

/// <summary>
/// A step the robot executed (it has since reported a later step) and the row it got for it: the row for that step in
/// the most recent chunk the host sent. The raw material of backtracking; retrace rows are never recorded.
/// </summary>
public sealed record ExecutedStep(long Step, float[] Action);
