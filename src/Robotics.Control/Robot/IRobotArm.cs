using Robotics.Protocol.Messages;

namespace Robotics.Control.Robot;

/// <summary>
/// The robot behind a <see cref="RobotEndpoint"/>: a simulated arm, or a bridge to a real one. Called from one thread.
/// <see cref="Hold"/> must bring the arm to rest (a real arm engages its brakes or holds position).
/// </summary>
public interface IRobotArm : IDisposable
{
    string Name { get; }

    int StateDim { get; }

    int ActionDim { get; }

    ActionMode ActionMode { get; }

    IReadOnlyList<string> Cameras { get; }

    RobotFrame Reset(long seed, int? taskIndex);

    RobotFrame Apply(float[] action);

    void Hold();
}
