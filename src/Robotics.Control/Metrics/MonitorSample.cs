namespace Robotics.Control.Metrics;

/// <summary>The failure monitor's verdict at one control cycle: the robot's step, the score (for SAFE: score minus the conformal band, so the alarm is at 0) and whether it alarmed.</summary>
public sealed record MonitorSample(long Step, double Score, bool Alarm);
