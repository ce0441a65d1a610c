namespace Robotics.Sims.Environments;

/// <summary>Bad input to an environment (action, task id, options) or misuse (Step before Reset).</summary>
public sealed class EnvironmentException(string message) : Exception(message);
