using Robotics.Control.Robot;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Failures;
using Robotics.Core.Randomness;

namespace Robotics.Cli.Commands.RobotSim;

/// <summary>
/// A simulated arm: a sims/ environment behind the robot endpoint. Actions are clamped to the action space as a
/// real arm's driver would clamp commands. Holding needs no work in simulation: time only advances on a step.
/// With a failure injector, a <paramref name="failureRate"/> fraction of episodes get a fault (of kind
/// <paramref name="faultKind"/>, or any of the scene's), drawn from the episode's seed as the evaluator draws it, so a
/// detector in the control host can be watched catching it. Each episode is announced to
/// <paramref name="episodeStarted"/> as it starts (its fault is drawn then), e.g. to write robot-sim's --episode-log.
/// </summary>
public sealed class EnvironmentArm(IEnvironment environment, IFailureInjector? injector = null, double failureRate = 0, string? faultKind = null,
    Action<ArmEpisode>? episodeStarted = null) : IRobotArm
{
    private static readonly IReadOnlyDictionary<string, NdArray> NoImages = new Dictionary<string, NdArray>();
    private int _task;
    private FailurePlan? _plan;

    /// <summary>The fault injected in the current episode, if any.</summary>
    public FailurePlan? Fault => _plan;

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
        _plan = null;
        var draws = Xoshiro256.Derive(seed, 0xFA17);
        if (injector is not null && failureRate > 0 && draws.NextDouble() < failureRate)
            _plan = injector.Draw(faultKind ?? injector.Kinds[draws.NextInt(injector.Kinds.Count)], draws, _task);
        episodeStarted?.Invoke(new ArmEpisode(seed, _task, _plan));
        return Frame(result.Observation, result.Info.IsSuccess, done: false);
    }

    public RobotFrame Apply(float[] action)
    {
        var space = environment.Spec.Action;
        var clamped = new float[action.Length];
        for (int i = 0; i < action.Length; i++)
            clamped[i] = Math.Clamp(action[i], space.Low[i], space.High[i]);
        if (_plan is not null)
            injector!.BeforeStep(_plan, environment.ElapsedSteps, environment, NoAgent.Instance);
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
