using System.Reflection;
using System.Text.Json;
using Robotics.Policies.Training;

namespace Robotics.Policies.Configuration;

/// <summary>
/// A named starting configuration (policies/presets/NAME.json, embedded in this assembly): the policy and
/// training options, the environment it is evaluated in, and optionally a dataset column appended to the
/// state as the goal (maze2d: infos/goal, because the generated corpus reaches many goals while evaluation
/// poses one). Shapes and tasks are filled in from the data at training time.
/// </summary>
public sealed class PolicyPreset
{
    private const string ResourcePrefix = "presets/";

    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string? Environment { get; set; }
    public string? GoalKey { get; set; }
    public PolicyConfig Policy { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();

    public static IReadOnlyList<string> Names() => typeof(PolicyPreset).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^5]).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A preset by name, or a path to a preset JSON file.</summary>
    public static PolicyPreset Load(string nameOrPath)
    {
        string text;
        if (File.Exists(nameOrPath))
        {
            text = File.ReadAllText(nameOrPath);
        }
        else
        {
            using var stream = typeof(PolicyPreset).Assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".json")
                ?? throw new KeyNotFoundException($"Unknown preset '{nameOrPath}' (not a file either). Presets: {string.Join(", ", Names())}.");
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }

        try
        {
            return JsonSerializer.Deserialize<PolicyPreset>(text, PolicyConfig.Json) ?? throw new InvalidDataException($"Preset '{nameOrPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Preset '{nameOrPath}': invalid JSON at {e.Path} ({e.Message}).", e);
        }
    }
}
