using Robotics.Core.Monitoring;

namespace Robotics.Control.Monitoring;

/// <summary>Never alarms ("none"): for benchmarks that must not be interrupted.</summary>
public sealed class NullMonitor : IFailureMonitor
{
    public string Name => "none";

    public void Reset()
    {
    }

    public MonitorVerdict Check(MonitorInput input) => MonitorVerdict.Ok;
}
