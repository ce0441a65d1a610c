using Robotics.Core.Shapes;
using Robotics.Core.Tasks;

namespace Robotics.Sims.Environments;

/// <summary>
/// What a policy or a dataset needs to know about an environment: spaces, time limit, control rate
/// and the task list (a single-task environment lists one task).
/// </summary>
public sealed record EnvironmentSpec(
    string Id,
    BoxSpace Observation,
    BoxSpace Action,
    int MaxEpisodeSteps,
    double ControlFrequencyHz,
    IReadOnlyList<TaskSpec> Tasks)
{
    /// <summary>The shape description policies are built from ("observation.state" and "action").</summary>
    public ShapeSpec ToShapeSpec() => new(
        [new FeatureSpec(FeatureKeys.State, DType.Float32, [Observation.Dimension])],
        new FeatureSpec(FeatureKeys.Action, DType.Float32, [Action.Dimension]),
        Tasks.Count);
}
