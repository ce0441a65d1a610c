namespace Robotics.Control.Metrics;

/// <summary>
/// Per-cycle measurements: latency (observation received -> action sent), inference time, clock jitter (actual - scheduled
/// send time), deadline misses, overruns, monitor scores, and finished episodes. Written by the clock and inference threads.
/// </summary>
public sealed class ControlMetrics
{
    private readonly object _gate = new();
    private readonly List<long> _latency = [];
    private readonly List<long> _inference = [];
    private readonly List<long> _jitter = [];
    private readonly List<long> _processing = [];
    private readonly List<long> _roundTrip = [];
    private readonly List<EpisodeRecord> _episodes = [];
    private long _cycles, _deadlineMisses, _overruns, _conflated, _rejected, _alarms, _watchdogStops;
    private double _maxScore;

    public long Cycles => Interlocked.Read(ref _cycles);
    public long DeadlineMisses => Interlocked.Read(ref _deadlineMisses);
    public long Overruns => Interlocked.Read(ref _overruns);
    public long WatchdogStops => Interlocked.Read(ref _watchdogStops);

    public int EpisodeCount
    {
        get
        {
            lock (_gate)
                return _episodes.Count;
        }
    }

    public void AddCycle(long jitterNs, long? latencyNs, bool deadlineMiss)
    {
        Interlocked.Increment(ref _cycles);
        if (deadlineMiss)
            Interlocked.Increment(ref _deadlineMisses);
        lock (_gate)
        {
            _jitter.Add(jitterNs);
            if (latencyNs is { } l)
                _latency.Add(l);
        }
    }

    /// <summary>Tick wake-up to action sent: the host's own work per cycle (inference wait included).</summary>
    public void AddProcessing(long ns)
    {
        lock (_gate)
            _processing.Add(ns);
    }

    /// <summary>Action sent to the observation of its result received: transport both ways plus the robot's step.</summary>
    public void AddRoundTrip(long ns)
    {
        lock (_gate)
            _roundTrip.Add(ns);
    }

    public void AddInference(long ns)
    {
        lock (_gate)
            _inference.Add(ns);
    }

    public void AddOverrun() => Interlocked.Increment(ref _overruns);

    public void AddConflated() => Interlocked.Increment(ref _conflated);

    public void AddRejected() => Interlocked.Increment(ref _rejected);

    public void AddWatchdogStop() => Interlocked.Increment(ref _watchdogStops);

    public void AddMonitorScore(double score, bool alarm)
    {
        if (alarm)
            Interlocked.Increment(ref _alarms);
        lock (_gate)
        {
            if (!double.IsNaN(score))
                _maxScore = Math.Max(_maxScore, score);
        }
    }

    public void AddEpisode(EpisodeRecord record)
    {
        lock (_gate)
            _episodes.Add(record);
    }

    /// <summary>Mean latency of the cycles recorded since <paramref name="fromIndex"/>, for per-episode figures.</summary>
    public (int Index, double MeanMs) LatencySince(int fromIndex)
    {
        lock (_gate)
        {
            int n = _latency.Count - fromIndex;
            return (_latency.Count, n <= 0 ? 0 : _latency.Skip(fromIndex).Average() / 1e6);
        }
    }

    public MetricsSummary Summarize(double rateHz, string finalState)
    {
        lock (_gate)
        {
            return new MetricsSummary(Cycles, rateHz, Percentiles.FromNanoseconds(_latency), Percentiles.FromNanoseconds(_inference),
                Percentiles.FromNanoseconds(_jitter), Percentiles.FromNanoseconds(_processing), Percentiles.FromNanoseconds(_roundTrip), DeadlineMisses, Overruns, Interlocked.Read(ref _conflated), Interlocked.Read(ref _rejected),
                Interlocked.Read(ref _alarms), double.IsInfinity(_maxScore) ? double.MaxValue : _maxScore, WatchdogStops, _episodes.ToArray(), finalState);
        }
    }

    public string LogLine(double rateHz, string state)
    {
        var s = Summarize(rateHz, state);
        return $"state {state}; cycles {s.Cycles}; latency {s.Latency}; processing {s.Processing}; round trip {s.RoundTrip}; inference {s.Inference}; jitter {s.Jitter}; " +
               $"deadline misses {s.DeadlineMisses}; overruns {s.Overruns}; conflated obs {s.ConflatedObservations}; episodes {s.Episodes.Count}";
    }
}
