namespace Robotics.Core.Shapes;

/// <summary>
/// Where the task side (datasets, environments) meets the method side (policies): the observation
/// features a policy receives and the action it must produce, plus the number of tasks.
/// </summary>
public sealed record ShapeSpec(IReadOnlyList<FeatureSpec> Observations, FeatureSpec Action, int TaskCount = 1)
{
    public FeatureSpec Observation(string key) =>
        Observations.FirstOrDefault(f => f.Key == key)
        ?? throw new KeyNotFoundException($"Observation feature '{key}' is not in the shape spec (has: {string.Join(", ", Observations.Select(o => o.Key))}).");
}
