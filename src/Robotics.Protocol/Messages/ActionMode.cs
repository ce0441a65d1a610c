namespace Robotics.Protocol.Messages;

/// <summary>How the robot reads an action row: a change from the current pose, or a target pose.</summary>
public enum ActionMode
{
    Delta,
    Absolute,
}
