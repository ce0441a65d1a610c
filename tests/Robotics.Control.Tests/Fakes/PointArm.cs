using Robotics.Control.Robot;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests.Fakes;

/// <summary>
/// A point on a plane moved by delta actions (position += 0.1 · action, exactly) or, in absolute mode, sent to the
/// action as a target pose (position = action); state [x, y, target x, target y].
/// Success when within 0.05 of the task's target; the episode ends on success or after <see cref="MaxSteps"/>.
/// </summary>
public sealed class PointArm(int maxSteps = 60, ActionMode actionMode = ActionMode.Delta) : IRobotArm
{
    public static readonly (float X, float Y)[] Targets = [(0.5f, 0.0f), (0.0f, -0.5f), (-0.4f, 0.3f)];
    private float _x, _y;
    private int _task, _steps;
    private readonly object _gate = new();

    public int MaxSteps => maxSteps;
    public string Name => "point-arm";
    public int StateDim => 4;
    public int ActionDim => 2;
    public ActionMode ActionMode => actionMode;
    public IReadOnlyList<string> Cameras => [];
    public int Holds { get; private set; }
    /// <summary>When set, every reported state has x = NaN (a broken sensor).</summary>
    public bool CorruptState { get; set; }
    public List<(float X, float Y)> Trajectory { get; } = [];

    /// <summary>A copy of <see cref="Trajectory"/> taken while the robot thread cannot change it.</summary>
    public (float X, float Y)[] TrajectorySnapshot()
    {
        lock (_gate)
            return [.. Trajectory];
    }

    public (float X, float Y) Position
    {
        get
        {
            lock (_gate)
                return (_x, _y);
        }
    }

    public RobotFrame Reset(long seed, int? taskIndex)
    {
        lock (_gate)
        {
            _task = taskIndex ?? 0;
            _x = _y = 0;
            _steps = 0;
            Trajectory.Clear();
            Trajectory.Add((0, 0));
            return Frame();
        }
    }

    public RobotFrame Apply(float[] action)
    {
        lock (_gate)
        {
            if (actionMode == ActionMode.Absolute)
            {
                _x = action[0];
                _y = action[1];
            }
            else
            {
                _x += 0.1f * action[0];
                _y += 0.1f * action[1];
            }

            _steps++;
            Trajectory.Add((_x, _y));
            return Frame();
        }
    }

    public void Hold() => Holds++;

    private RobotFrame Frame()
    {
        var (tx, ty) = Targets[_task];
        bool success = MathF.Abs(_x - tx) < 0.05f && MathF.Abs(_y - ty) < 0.05f;
        float x = CorruptState ? float.NaN : _x;
        return new RobotFrame([x, _y, tx, ty], new Dictionary<string, NdArray>(), _task, $"go to target {_task}", success, success || _steps >= maxSteps);
    }

    public void Dispose()
    {
    }
}
