namespace Robotics.Evaluation.Policies;

/// <summary>
/// One policy of a sweep, as the plan file names it. <see cref="Kind"/> picks the source from
/// <see cref="PolicyFactory"/> ("checkpoint": a trained policy folder; "expert": the environment's scripted expert).
/// <see cref="ActionNoise"/> adds N(0, std) to every executed action (a deliberately weakened policy, e.g. the
/// planted regression a CI gate must catch). <see cref="Environments"/> limits the policy to some of the plan's
/// environments (a checkpoint runs only where its state and action sizes fit); null: all of them.
/// </summary>
public sealed record PolicySpec(
    string Name,
    string Kind,
    string? Checkpoint = null,
    string? Style = null,
    double ActionNoise = 0,
    int? SamplingSteps = null,
    int? ExecutedSteps = null,
    double? NoiseScale = null,
    IReadOnlyList<string>? Environments = null)
{
    public bool RunsIn(string environment) => Environments is null || Environments.Contains(environment);
}
