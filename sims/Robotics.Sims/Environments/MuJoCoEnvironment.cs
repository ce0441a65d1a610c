using Robotics.Sims.MuJoCo;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Environments;

/// <summary>
/// Shared mechanics of the MuJoCo environments: action validation (length, NaN/Inf) with a clear
/// message, the time limit, seeding, step-after-done protection, and MuJoCo warnings copied into
/// each step's info.
/// </summary>
public abstract class MuJoCoEnvironment : IEnvironment
{
    private readonly double[] _action;
    private bool _started;
    private bool _done;
    private int _taskIndex;

    protected MuJoCoEnvironment(MuJoCoModel model)
    {
        Model = model;
        Data = model.CreateData();
        _action = new double[model.Nu];
    }

    public abstract EnvironmentSpec Spec { get; }

    public int ElapsedSteps { get; private set; }

    public int TaskIndex => _taskIndex;

    protected MuJoCoModel Model { get; }

    /// <summary>
    /// The live simulation state, for inspection and benchmarks (e.g. copying it into another
    /// <see cref="MuJoCoData"/>); writing through it bypasses the environment's bookkeeping.
    /// </summary>
    public MuJoCoData Simulation => Data;

    /// <summary>Physics steps per <see cref="Step"/>.</summary>
    public virtual int FrameSkip => 1;

    protected MuJoCoData Data { get; }

    /// <summary>The episode's random stream (reset distribution, targets).</summary>
    protected Xoshiro256 Random { get; private set; } = new(Environment.TickCount64);

    public ResetResult Reset(long? seed = null, ResetOptions? options = null)
    {
        if (seed is long s)
            Random = new Xoshiro256(s);
        int taskCount = Spec.Tasks.Count;
        if (options?.TaskIndex is int requested && (requested < 0 || requested >= taskCount))
            throw new EnvironmentException($"{Spec.Id}: task id {requested} is out of range; valid ids are 0..{taskCount - 1}.");
        _taskIndex = options?.TaskIndex ?? (taskCount == 1 ? 0 : Random.NextInt(taskCount));
        Data.Reset();
        ElapsedSteps = 0;
        _started = true;
        _done = false;
        var observation = ResetCore(_taskIndex);
        _ = Data.TakeNewWarnings();
        return new ResetResult(observation, new StepInfo(_taskIndex, false, StepInfo.NoValues, []));
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (!_started)
            throw new EnvironmentException($"{Spec.Id}: Step called before Reset.");
        if (_done)
            throw new EnvironmentException($"{Spec.Id}: the episode ended at step {ElapsedSteps}; call Reset before stepping again.");
        if (action.Length != _action.Length)
            throw new EnvironmentException($"{Spec.Id}: action has {action.Length} values, expected {_action.Length} ({string.Join(", ", Spec.Action.Names)}).");
        for (int i = 0; i < action.Length; i++)
        {
            if (!float.IsFinite(action[i]))
                throw new EnvironmentException($"{Spec.Id}: action[{i}] ({Spec.Action.Names[i]}) is {action[i]} at step {ElapsedSteps}; actions must be finite.");
            _action[i] = action[i];
        }

        var outcome = StepCore(_action);
        ElapsedSteps++;
        bool truncated = !outcome.Terminated && ElapsedSteps >= Spec.MaxEpisodeSteps;
        _done = outcome.Terminated || truncated;
        var warnings = Data.TakeNewWarnings();
        IReadOnlyList<string> warningText = warnings.Count == 0
            ? []
            : warnings.Select(w => $"MuJoCo warning {w.Kind} x{w.Count} at step {ElapsedSteps}: {MuJoCoData.LastWarningText}").ToArray();
        return new StepResult(outcome.Observation, outcome.Reward, outcome.Terminated, truncated,
            new StepInfo(_taskIndex, outcome.IsSuccess, outcome.Values, warningText));
    }

    /// <summary>Places the scene for a new episode (data already reset) and returns the first observation.</summary>
    protected abstract float[] ResetCore(int taskIndex);

    /// <summary>Applies a validated action and simulates one control step.</summary>
    protected abstract StepOutcome StepCore(double[] action);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Data.Dispose();
    }
}
