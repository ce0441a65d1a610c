namespace Robotics.Evaluation.Conditions;

/// <summary>
/// What is done to an episode besides running the policy. <see cref="Fault"/>: a fault kind of the environment's
/// injector (or "any": one drawn per episode), injected in a <see cref="FaultRate"/> fraction of episodes.
/// <see cref="ActionNoise"/>: N(0, std) on every executed action (actuator noise). <see cref="ObservationNoise"/>:
/// N(0, std) on what the policy sees (sensor noise; the scene is untouched). <see cref="InitialRandomSteps"/>:
/// random actions before the policy takes over (initial states outside the demonstrations' range).
/// <see cref="UnseenInstructions"/>: the policy gets a paraphrase of the task's instruction and no task index, so
/// only the text can tell it the task. <see cref="Environments"/> limits the condition to some of the plan's
/// environments (a fault exists only where the scene has an injector); null: all of them.
/// </summary>
public sealed record EvaluationCondition(
    string Name = EvaluationCondition.NominalName,
    string? Fault = null,
    double FaultRate = 1.0,
    double ActionNoise = 0,
    double ObservationNoise = 0,
    int InitialRandomSteps = 0,
    bool UnseenInstructions = false,
    IReadOnlyList<string>? Environments = null)
{
    public bool AppliesTo(string environment) => Environments is null || Environments.Contains(environment);

    public const string NominalName = "nominal";

    public const string AnyFault = "any";

    public static EvaluationCondition Nominal { get; } = new();

    /// <summary>The paraphrase given under <see cref="UnseenInstructions"/>: same task, words the policy never saw.</summary>
    public static string Paraphrase(string instruction) => $"could you {instruction}, please";
}
