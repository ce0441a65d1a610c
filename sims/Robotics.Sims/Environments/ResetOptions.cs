namespace Robotics.Sims.Environments;

/// <summary>Options for <see cref="IEnvironment.Reset"/>: which task to pose (null = drawn from the seed).</summary>
public sealed record ResetOptions(int? TaskIndex = null);
