namespace Robotics.Control.StateMachine;

/// <summary>Idle -> Running -> Stopping -> Stopped, plus Backtracking (retrace, then hold in Stopped).</summary>
public enum ControlState
{
    Idle,
    Running,
    Stopping,
    Stopped,
    Backtracking,
}
