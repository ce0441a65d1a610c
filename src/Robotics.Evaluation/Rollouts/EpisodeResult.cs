namespace Robotics.Evaluation.Rollouts;

/// <summary>
/// One closed-loop episode: the task posed, its seed, whether it succeeded (the environment's own test at any step),
/// return, length, policy calls and their mean latency, the D4RL normalised score where the dataset registry has
/// reference scores, the injected fault (if any) and, when asked for, every policy call's features.
/// </summary>
public sealed record EpisodeResult(
    int Task,
    string? Instruction,
    long Seed,
    bool Success,
    double Return,
    int Steps,
    int PolicyCalls,
    double MeanInferenceMs,
    double? NormalizedScore,
    string? Fault,
    int? FaultStep,
    IReadOnlyList<PolicyCallRecord>? Calls = null);
