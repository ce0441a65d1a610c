namespace Robotics.Control.Monitoring;

/// <summary>
/// Checked on the control clock before every action is sent; an alarm stops or backtracks the robot (Control:FailureAction).
/// The SAFE learned detector plugs in here (register it as IFailureMonitor); must be fast and must not throw.
/// </summary>
public interface IFailureMonitor
{
    string Name { get; }

    void Reset();

    MonitorVerdict Check(MonitorInput input);
}
