namespace Robotics.Protocol.Messages;

/// <summary>Who says hello: a robot (sends observations, receives actions) or an operator (sends commands).</summary>
public enum PeerRole
{
    Robot,
    Operator,
}
