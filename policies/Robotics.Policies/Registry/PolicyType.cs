using Robotics.Policies.Configuration;
using Robotics.Policies.Nn;

namespace Robotics.Policies.Registry;

/// <summary>
/// A registered policy network: its config <c>type</c> name, what it is, how to build it, and its options section
/// (<see cref="Options"/> returns that section's object of a config, for validation and configuration binding).
/// </summary>
public sealed record PolicyType(string Name, string Description, Func<PolicyConfig, PolicyNetwork> Create, string OptionsSection, Func<PolicyConfig, IPolicyOptions> Options)
{
    public static PolicyType Of<TOptions>(string name, string description, Func<PolicyConfig, PolicyNetwork> create) where TOptions : class, IPolicyOptionsSection, new() =>
        new(name, description, create, TOptions.Section, config => config.Options<TOptions>());
}
