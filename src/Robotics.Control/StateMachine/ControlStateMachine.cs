namespace Robotics.Control.StateMachine;

/// <summary>
/// The host's state with an explicit transition table: a transition not in it is refused (and reported), so a
/// command arriving in the wrong state cannot, say, resume motion from Stopping.
/// </summary>
public sealed class ControlStateMachine
{
    private static readonly Dictionary<ControlState, ControlState[]> Allowed = new()
    {
        [ControlState.Idle] = [ControlState.Running, ControlState.Stopping],
        [ControlState.Running] = [ControlState.Stopping, ControlState.Backtracking, ControlState.Idle],
        [ControlState.Stopping] = [ControlState.Stopped],
        [ControlState.Stopped] = [ControlState.Running, ControlState.Backtracking, ControlState.Idle],
        [ControlState.Backtracking] = [ControlState.Stopping, ControlState.Stopped],
    };

    private readonly object _gate = new();
    private readonly List<(ControlState From, ControlState To, string Reason)> _history = [];

    public ControlState State { get; private set; } = ControlState.Idle;

    public string LastReason { get; private set; } = "start-up";

    public event Action<ControlState, ControlState, string>? Changed;

    public IReadOnlyList<(ControlState From, ControlState To, string Reason)> History
    {
        get
        {
            lock (_gate)
                return _history.ToArray();
        }
    }

    public static bool CanMove(ControlState from, ControlState to) => Allowed[from].Contains(to);

    public bool TryMove(ControlState to, string reason)
    {
        ControlState from;
        lock (_gate)
        {
            from = State;
            if (!CanMove(from, to))
                return false;
            State = to;
            LastReason = reason;
            _history.Add((from, to, reason));
        }

        Changed?.Invoke(from, to, reason);
        return true;
    }
}
