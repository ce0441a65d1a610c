using System.Diagnostics;

namespace Robotics.Protocol;

/// <summary>
/// The monotonic clock stamped into envelopes. On Linux Stopwatch reads CLOCK_MONOTONIC, the clock Python's
/// time.monotonic_ns() reads, so stamps from peers on the same machine are directly comparable.
/// </summary>
public static class MonotonicClock
{
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => (long)(Stopwatch.GetTimestamp() * NsPerTick);

    public static long TicksToNs(long ticks) => (long)(ticks * NsPerTick);
}
