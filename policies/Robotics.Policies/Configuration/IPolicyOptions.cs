namespace Robotics.Policies.Configuration;

/// <summary>
/// A policy type's own options, kept in its folder beside its network (LeRobot's habit). They live in config.json
/// and under the "Policy" configuration section at the key <see cref="Section"/>, next to the fields every policy
/// shares; adding a policy type adds its options class, not a property of <see cref="PolicyConfig"/>.
/// </summary>
public interface IPolicyOptions
{
    /// <summary>Every problem with these options given the shared fields (e.g. heads must divide the width).</summary>
    IEnumerable<string> Validate(PolicyConfig config);
}

/// <summary>Policy options with their section name (a separate interface so <see cref="IPolicyOptions"/> stays usable as a type argument).</summary>
public interface IPolicyOptionsSection : IPolicyOptions
{
    /// <summary>The options' key, e.g. "mode" (config.json) or Policy:Mode (configuration overrides).</summary>
    static abstract string Section { get; }
}
