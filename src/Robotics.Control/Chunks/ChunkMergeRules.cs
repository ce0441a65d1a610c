using Robotics.Control.Options;

namespace Robotics.Control.Chunks;

/// <summary>Merge rules by configuration name.</summary>
public static class ChunkMergeRules
{
    private static readonly Dictionary<string, Func<ControlOptions, IChunkMergeRule>> Registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["replace"] = _ => new ReplaceMergeRule(),
        ["blend"] = o => new BlendMergeRule(o.BlendNewWeight),
    };

    public static IReadOnlyCollection<string> Names => Registry.Keys;

    public static bool Exists(string name) => Registry.ContainsKey(name);

    public static IChunkMergeRule Create(ControlOptions options) => Registry.TryGetValue(options.MergeRule, out var make)
        ? make(options)
        : throw new ArgumentException($"Control:MergeRule '{options.MergeRule}' is not one of {string.Join(", ", Names)}");
}
