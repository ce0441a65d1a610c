namespace Robotics.Evaluation.Plans;

/// <summary>One environment of a sweep and the tasks to pose in it (resolved: "all" becomes every task index).</summary>
public sealed record EnvironmentPlan(string Id, IReadOnlyList<int> Tasks);
