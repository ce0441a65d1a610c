namespace Robotics.Sims.Environments;

/// <summary>What an environment's physics step produced, before the time limit and warnings are applied.</summary>
public readonly record struct StepOutcome(float[] Observation, double Reward, bool Terminated, bool IsSuccess, IReadOnlyDictionary<string, double> Values);
