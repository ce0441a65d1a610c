namespace Robotics.Control.Metrics;

/// <summary>
/// One finished episode as the host saw it (success as the robot reported it). <paramref name="MonitorTrace"/> holds the
/// failure monitor's score at every cycle of the episode when Control:RecordMonitorTrace is on.
/// </summary>
public sealed record EpisodeRecord(long Episode, int? TaskIndex, string? Instruction, long Steps, bool Success, double MeanLatencyMs, string EndReason,
    IReadOnlyList<MonitorSample>? MonitorTrace = null);
