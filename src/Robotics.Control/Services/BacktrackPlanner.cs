using Robotics.Protocol.Messages;

namespace Robotics.Control.Services;

/// <summary>
/// Turns the executed history into a retrace: delta actions are undone by sending their negations in reverse order;
/// absolute actions (target poses) are retraced by revisiting the earlier targets in reverse order, ending at the
/// target sent <c>steps</c> steps ago. The retraced steps leave the history, so a second backtrack goes further back.
/// </summary>
public static class BacktrackPlanner
{
    public static Queue<float[]> Plan(List<ExecutedStep> history, int steps, ActionMode mode)
    {
        int n = Math.Min(steps, history.Count);
        var plan = new Queue<float[]>();
        if (n == 0)
            return plan;
        var retraced = history.GetRange(history.Count - n, n);
        history.RemoveRange(history.Count - n, n);
        if (mode == ActionMode.Delta)
        {
            for (int i = retraced.Count - 1; i >= 0; i--)
                plan.Enqueue(retraced[i].Action.Select(v => -v).ToArray());
        }
        else
        {
            // Poses before the retraced ones: the target of step k-2, k-3, ... down to the one before the first retraced step.
            for (int i = retraced.Count - 2; i >= 0; i--)
                plan.Enqueue(retraced[i].Action);
            if (history.Count > 0)
                plan.Enqueue(history[^1].Action);
        }

        return plan;
    }
}
