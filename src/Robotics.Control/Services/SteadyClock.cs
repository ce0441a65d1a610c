using System.Diagnostics;

namespace Robotics.Control.Services;

/// <summary>
/// Ticks at t0 + k·period on the monotonic clock (no drift: a late tick does not delay the next ones). Sleeps until
/// about 1.5 ms before a tick and spins the rest, since Thread.Sleep alone wakes up to a millisecond late.
/// A loop that falls more than a period behind skips the missed ticks and reports how many.
/// </summary>
public sealed class SteadyClock
{
    private static readonly long SpinTicks = Stopwatch.Frequency * 3 / 2000;
    private readonly long _periodTicks;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _k;

    public SteadyClock(TimeSpan period) => _periodTicks = (long)(period.TotalSeconds * Stopwatch.Frequency);

    public readonly record struct Tick(long Index, long ScheduledTimestamp, long ActualTimestamp, long Skipped)
    {
        public long JitterNs => (long)((ActualTimestamp - ScheduledTimestamp) * 1e9 / Stopwatch.Frequency);
    }

    public Tick WaitNext(CancellationToken cancellationToken)
    {
        _k++;
        long scheduled = _start + _k * _periodTicks;
        long skipped = 0;
        long now = Stopwatch.GetTimestamp();
        if (now - scheduled > _periodTicks)
        {
            long behind = (now - _start) / _periodTicks + 1;
            skipped = behind - _k;
            _k = behind;
            scheduled = _start + _k * _periodTicks;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            long remaining = scheduled - Stopwatch.GetTimestamp();
            if (remaining <= 0)
                break;
            if (remaining > SpinTicks)
                Thread.Sleep(TimeSpan.FromSeconds((double)(remaining - SpinTicks) / Stopwatch.Frequency));
            else
                Thread.SpinWait(20);
        }

        return new Tick(_k, scheduled, Stopwatch.GetTimestamp(), skipped);
    }
}
