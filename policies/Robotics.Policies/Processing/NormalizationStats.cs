using Robotics.Core.IO;
using Robotics.Core.Shapes;
using Robotics.Datasets.Statistics;

namespace Robotics.Policies.Processing;

/// <summary>
/// The statistics a policy normalises with, saved next to its weights (normalization.json, LeRobot's stats.json
/// shape) so a checkpoint is usable without the dataset: "observation.state" and "action".
/// </summary>
public sealed record NormalizationStats(FeatureStatistics State, FeatureStatistics Action)
{
    public void Save(string path) => AtomicFile.WriteAllText(path, StatsJson.Serialize(new Dictionary<string, FeatureStatistics>
    {
        [FeatureKeys.State] = State with { Key = FeatureKeys.State },
        [FeatureKeys.Action] = Action with { Key = FeatureKeys.Action },
    }));

    public static NormalizationStats Load(string path)
    {
        var doc = StatsJson.Parse(File.ReadAllText(path), path);
        FeatureStatistics Get(string key) => doc.TryGetValue(key, out var s) && s.Min.Length > 0 && s.Max.Length == s.Min.Length
            ? s
            : throw new InvalidDataException($"{path}: missing or incomplete statistics for '{key}'.");
        return new NormalizationStats(Get(FeatureKeys.State), Get(FeatureKeys.Action));
    }
}
