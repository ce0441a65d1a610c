using System.Text.Json;
using Robotics.Core.IO;
using Robotics.Core.Shapes;

namespace Robotics.Policies.Processing;

/// <summary>
/// The statistics a policy normalises with, saved next to its weights (normalization.json) so a checkpoint
/// is usable without the dataset: "observation.state" and "action".
/// </summary>
public sealed record NormalizationStats(FeatureStats State, FeatureStats Action)
{
    public void Save(string path)
    {
        var doc = new Dictionary<string, FeatureStats> { [FeatureKeys.State] = State, [FeatureKeys.Action] = Action };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    }

    public static NormalizationStats Load(string path)
    {
        var doc = JsonSerializer.Deserialize<Dictionary<string, FeatureStats>>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                  ?? throw new InvalidDataException($"{path}: empty normalisation statistics.");
        FeatureStats Get(string key) => doc.TryGetValue(key, out var s) && s.Min is not null && s.Max is not null
            ? s
            : throw new InvalidDataException($"{path}: missing or incomplete statistics for '{key}'.");
        return new NormalizationStats(Get(FeatureKeys.State), Get(FeatureKeys.Action));
    }
}
