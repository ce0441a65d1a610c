namespace Robotics.Core.Monitoring;

/// <summary>
/// Checked on the control clock before every action is sent; an alarm stops or backtracks the robot (Control:FailureAction).
/// Lives in Core so a learned detector (SAFE, with TorchSharp) can implement it without the control host depending on
/// it; must be fast and must not throw (a bad input is an alarm with a reason).
/// </summary>
public interface IFailureMonitor
{
    string Name { get; }

    void Reset();

    MonitorVerdict Check(MonitorInput input);
}
