using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// meta/info.json of a LeRobot folder (v2.1 or v3.0): version, fps, features in file order, and the
/// data / video path templates that locate an episode's files.
/// </summary>
public sealed record LeRobotInfo(
    string Path,
    string CodebaseVersion,
    double Fps,
    IReadOnlyList<LeRobotFeature> Features,
    string DataPath,
    string? VideoPath,
    int ChunksSize,
    JsonObject Raw)
{
    public bool IsV3 => CodebaseVersion.StartsWith("v3", StringComparison.Ordinal);

    public bool IsV21 => CodebaseVersion is "v2.1" or "v2.0";

    public LeRobotFeature? Feature(string name) => Features.FirstOrDefault(f => f.Name == name);

    public static LeRobotInfo Load(string folder)
    {
        string path = System.IO.Path.Combine(folder, "meta", "info.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder}: no meta/info.json (is this a LeRobot dataset?)", path);
        JsonObject info;
        try
        {
            info = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("top level is not an object");
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, null, $"invalid JSON ({e.Message})", e);
        }

        string version = info["codebase_version"]?.GetValue<string>() ?? "";
        if (!version.StartsWith("v3", StringComparison.Ordinal) && version is not ("v2.1" or "v2.0"))
            throw new DatasetFormatException(path, "codebase_version", $"is '{version}'; LeRobot v2.0, v2.1 and v3.x folders are read");
        var features = info["features"] as JsonObject ?? throw new DatasetFormatException(path, "features", "missing");
        double fps = info["fps"] is JsonValue f && f.TryGetValue(out double v) ? v
            : throw new DatasetFormatException(path, "fps", "missing or not a number");
        if (!(fps > 0))
            throw new DatasetFormatException(path, "fps", $"must be positive, is {fps.ToString(CultureInfo.InvariantCulture)}");
        string dataPath = info["data_path"]?.GetValue<string>() ?? throw new DatasetFormatException(path, "data_path", "missing");
        return new LeRobotInfo(
            path,
            version,
            fps,
            features.Select(kv => LeRobotFeature.Parse(kv.Key, kv.Value, path)).ToArray(),
            dataPath,
            info["video_path"]?.GetValue<string>(),
            info["chunks_size"] is JsonValue c && c.TryGetValue(out int chunks) ? chunks : 1000,
            info);
    }

    /// <summary>Fills a python str.format template such as "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet".</summary>
    public static string Format(string template, IReadOnlyDictionary<string, object> values)
    {
        var result = new System.Text.StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            result.Append(template, i, open - i);
            int close = template.IndexOf('}', open);
            if (close < 0)
                throw new FormatException($"Unclosed '{{' in path template '{template}'.");
            string field = template[(open + 1)..close];
            string name = field, spec = "";
            int colon = field.IndexOf(':');
            if (colon >= 0)
            {
                name = field[..colon];
                spec = field[(colon + 1)..];
            }

            if (!values.TryGetValue(name, out var value))
                throw new FormatException($"Path template '{template}' names '{name}', which is not known here.");
            result.Append(value switch
            {
                // "03d": zero-padded to three digits, as python formats it.
                long or int when spec.EndsWith('d') => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("D" + (spec.Length > 1 ? int.Parse(spec[..^1].TrimStart('0') is "" ? "0" : spec[..^1].TrimStart('0'), CultureInfo.InvariantCulture) : 0), CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            });
            i = close + 1;
        }

        return result.ToString();
    }
}
