namespace Robotics.Policies.Configuration;

/// <summary>A policy configuration that cannot be built; the message names every bad option.</summary>
public sealed class InvalidPolicyConfigException(IReadOnlyList<string> errors)
    : Exception("Invalid policy configuration: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
