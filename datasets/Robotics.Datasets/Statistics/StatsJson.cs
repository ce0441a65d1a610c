using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Core.IO;

namespace Robotics.Datasets.Statistics;

/// <summary>
/// Reads and writes statistics in LeRobot's meta/stats.json shape:
/// {"feature": {"min": [...], "max": [...], "mean": [...], "std": [...], "count": [n], "q01": [...], ...}}.
/// </summary>
public static class StatsJson
{
    private static readonly string[] Fields = ["min", "max", "mean", "std", "q01", "q10", "q50", "q90", "q99"];

    public static string Serialize(IReadOnlyDictionary<string, FeatureStatistics> stats)
    {
        var root = new JsonObject();
        foreach (var (key, s) in stats.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var entry = new JsonObject();
            foreach (string field in Fields)
                entry[field] = new JsonArray(Values(s, field).Select(v => (JsonNode?)JsonValue.Create(double.IsFinite(v) ? v : (double?)null)).ToArray());
            entry["count"] = new JsonArray(JsonValue.Create(s.Count));
            root[key] = entry;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static void Write(string path, IReadOnlyDictionary<string, FeatureStatistics> stats) => AtomicFile.WriteAllText(path, Serialize(stats));

    public static IReadOnlyDictionary<string, FeatureStatistics> Parse(string json, string origin = "stats.json")
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{origin}: the top level must be an object of features.");
        var result = new Dictionary<string, FeatureStatistics>(StringComparer.Ordinal);
        foreach (var (key, node) in root)
        {
            if (node is not JsonObject entry)
                throw new InvalidDataException($"{origin}: feature '{key}' must be an object.");
            double[] Read(string field)
            {
                if (entry[field] is not JsonArray array)
                    throw new InvalidDataException($"{origin}: feature '{key}' has no '{field}' array.");
                return Flatten(array).ToArray();
            }

            var mean = Read("mean");
            double[] Optional(string field) => entry[field] is JsonArray ? Read(field) : Enumerable.Repeat(double.NaN, mean.Length).ToArray();
            long count = entry["count"] is JsonArray c && c.Count > 0 ? (long)c[0]!.GetValue<double>() : 0;
            result[key] = new FeatureStatistics(key, [mean.Length], mean, Read("std"), Read("min"), Read("max"),
                Optional("q01"), Optional("q10"), Optional("q50"), Optional("q90"), Optional("q99"), count);
        }

        return result;
    }

    public static IReadOnlyDictionary<string, FeatureStatistics> Read(string path) => Parse(File.ReadAllText(path), path);

    private static IEnumerable<double> Flatten(JsonArray array)
    {
        foreach (var item in array)
        {
            if (item is JsonArray inner)
            {
                foreach (var v in Flatten(inner))
                    yield return v;
            }
            else
            {
                yield return item is null ? double.NaN : item.GetValue<double>();
            }
        }
    }

    private static double[] Values(FeatureStatistics s, string field) => field switch
    {
        "min" => s.Min,
        "max" => s.Max,
        "mean" => s.Mean,
        "std" => s.Std,
        "q01" => s.Q01,
        "q10" => s.Q10,
        "q50" => s.Q50,
        "q90" => s.Q90,
        "q99" => s.Q99,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}
