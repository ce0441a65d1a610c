namespace Robotics.Control.Metrics;

/// <summary>What the host reports at exit (and writes to Control:MetricsFile).</summary>
public sealed record MetricsSummary(
    long Cycles,
    double RateHz,
    Percentiles Latency,
    Percentiles Inference,
    Percentiles Jitter,
    Percentiles Processing,
    Percentiles RoundTrip,
    long DeadlineMisses,
    long Overruns,
    long ConflatedObservations,
    long RejectedObservations,
    long MonitorAlarms,
    double MonitorMaxScore,
    long WatchdogStops,
    IReadOnlyList<EpisodeRecord> Episodes,
    string FinalState);
