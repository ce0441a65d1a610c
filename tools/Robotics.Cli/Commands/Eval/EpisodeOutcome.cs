namespace Robotics.Cli.Commands.Eval;

/// <summary>One closed-loop episode: the task posed, whether it succeeded, its return and length, and policy calls.</summary>
public sealed record EpisodeOutcome(int Episode, int Task, bool Success, double Return, int Steps, int PolicyCalls, double MeanInferenceMs);
