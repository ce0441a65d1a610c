namespace Robotics.Evaluation.Plans;

/// <summary>
/// One environment of a sweep and the tasks to pose in it (resolved: "all" becomes every task index), with an
/// optional episode count per cell of its own (a one-task maze needs more episodes per cell than a 12-task table).
/// </summary>
public sealed record EnvironmentPlan(string Id, IReadOnlyList<int> Tasks, int? EpisodesPerCell = null);
