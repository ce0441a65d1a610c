using Robotics.Policies.Configuration;
using Robotics.Policies.Nn;

namespace Robotics.Policies.Registry;

/// <summary>A registered policy network: its config <c>type</c> name, what it is, and how to build it.</summary>
public sealed record PolicyType(string Name, string Description, Func<PolicyConfig, PolicyNetwork> Create);
