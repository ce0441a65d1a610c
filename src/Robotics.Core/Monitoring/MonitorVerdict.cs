namespace Robotics.Core.Monitoring;

/// <summary>A monitor's answer: a score (higher = more likely failing; recorded in metrics) and whether to intervene.</summary>
public sealed record MonitorVerdict(double Score, bool Alarm, string? Reason = null)
{
    public static readonly MonitorVerdict Ok = new(0, false);
}
