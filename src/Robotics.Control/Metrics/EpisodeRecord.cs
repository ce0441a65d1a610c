namespace Robotics.Control.Metrics;

/// <summary>One finished episode as the host saw it (success as the robot reported it).</summary>
public sealed record EpisodeRecord(long Episode, int? TaskIndex, string? Instruction, long Steps, bool Success, double MeanLatencyMs, string EndReason);
