using Robotics.Control.Robot;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;
using Robotics.Sims.Environments;

namespace Robotics.Cli.Commands.RobotSim;

/// <summary>
/// A simulated arm: a sims/ environment behind the robot endpoint. Actions are clamped to the action space as a
/// real arm's driver would clamp commands. Holding needs no work in simulation: time only advances on a step.
/// </summary>
public sealed class EnvironmentArm(IEnvironment environment) : IRobotArm
{
    private static readonly IReadOnlyDictionary<string, NdArray> NoImages = new Dictionary<string, NdArray>();
    private int _task;

    public string Name => environment.Spec.Id;
    public int StateDim => environment.Spec.Observation.Dimension;
    public int ActionDim => environment.Spec.Action.Dimension;

    // Tabletop and maze actions are velocities: a delta in pose per step, so backtracking negates them.
    public ActionMode ActionMode => ActionMode.Delta;
    public IReadOnlyList<string> Cameras => [];

    public RobotFrame Reset(long seed, int? taskIndex)
    {
        var result = environment.Reset(seed, new ResetOptions(taskIndex));
        _task = result.Info.TaskIndex;
        return Frame(result.Observation, result.Info.IsSuccess, done: false);
    }

    public RobotFrame Apply(float[] action)
    {
        var space = environment.Spec.Action;
        var clamped = new float[action.Length];
        for (int i = 0; i < action.Length; i++)
            clamped[i] = Math.Clamp(action[i], space.Low[i], space.High[i]);
        var step = environment.Step(clamped);
        return Frame(step.Observation, step.Info.IsSuccess, step.Done);
    }

    public void Hold()
    {
    }

    private RobotFrame Frame(float[] state, bool success, bool done)
    {
        var tasks = environment.Spec.Tasks;
        string? instruction = _task >= 0 && _task < tasks.Count ? tasks[_task].Instruction : null;
        return new RobotFrame(state, NoImages, _task, instruction, success, done);
    }

    public void Dispose() => environment.Dispose();
}
