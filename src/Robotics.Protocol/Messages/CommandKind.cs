namespace Robotics.Protocol.Messages;

/// <summary>Commands an operator sends to the host, and the host forwards (stop, reset, set_task) to the robot.</summary>
public enum CommandKind
{
    Start,
    Stop,
    Backtrack,
    Resume,
    Reset,
    SetTask,
}
