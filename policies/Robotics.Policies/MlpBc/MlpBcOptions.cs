using Robotics.Policies.Configuration;

namespace Robotics.Policies.MlpBc;

/// <summary>The MLP behaviour-cloning baseline: flattened conditioning tokens -> MLP -> whole action chunk, MSE loss.</summary>
public sealed class MlpBcOptions : IPolicyOptionsSection
{
    public static string Section => "mlp";

    public int Hidden { get; set; } = 512;
    public int Layers { get; set; } = 3;

    public IEnumerable<string> Validate(PolicyConfig config)
    {
        if (Hidden < 1) yield return $"mlp.hidden must be >= 1 (got {Hidden}).";
        if (Layers < 1) yield return $"mlp.layers must be >= 1 (got {Layers}).";
    }
}
