namespace Robotics.Evaluation.Plans;

/// <summary>One cell of a sweep: a policy in an environment on a task under a condition.</summary>
public sealed record SweepCell(string Policy, string Environment, int Task, string Condition)
{
    public string Key => $"{Policy}|{Environment}|{Task}|{Condition}";

    public override string ToString() => $"{Policy} / {Environment} / task {Task} / {Condition}";
}
