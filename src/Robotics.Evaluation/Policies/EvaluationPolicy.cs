using Robotics.Core.Policies;

namespace Robotics.Evaluation.Policies;

/// <summary>
/// A policy ready for closed-loop rollouts, with what the evaluator must know to feed it: the task instructions it
/// was trained on (its task index is matched by instruction) and whether it expects the goal appended to the state.
/// </summary>
public sealed record EvaluationPolicy(IChunkPolicy Policy, IReadOnlyList<string> Instructions, bool AppendGoal) : IDisposable
{
    public void Dispose() => Policy.Dispose();
}
