using Robotics.Policies.Configuration;
using Robotics.Policies.MlpBc;
using Robotics.Policies.Mode;
using Robotics.Policies.Nn;

namespace Robotics.Policies.Registry;

/// <summary>Policy networks by their config <c>type</c> string. Adding a policy adds one entry.</summary>
public static class PolicyRegistry
{
    private static readonly PolicyType[] Types =
    [
        PolicyType.Of<ModeOptions>("mode", "Diffusion transformer with mixture of denoising experts (one expert = the dense baseline), optional world-model head.", c => new ModeNetwork(c)),
        PolicyType.Of<MlpBcOptions>("mlp_bc", "MLP behaviour cloning of the whole action chunk.", c => new MlpBcNetwork(c)),
    ];

    public static IReadOnlyList<PolicyType> All => Types;

    public static bool TryGet(string name, out PolicyType type)
    {
        type = Types.FirstOrDefault(t => t.Name == name)!;
        return type is not null;
    }

    public static PolicyType Get(string name) =>
        Types.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"Unknown policy type '{name}'. Registered: {string.Join(", ", Types.Select(t => t.Name))}.");

    /// <summary>Validates the config and builds its network (random weights).</summary>
    public static PolicyNetwork Create(PolicyConfig config) => Get(config.Type).Create(config.EnsureValid());
}
