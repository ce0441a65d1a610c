using System.Text.Json;
using System.Text.Json.Serialization;
using Robotics.Core.IO;

namespace Robotics.Control.Metrics;

/// <summary>Writes a <see cref="MetricsSummary"/> as indented JSON, atomically.</summary>
public static class MetricsWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(string path, MetricsSummary summary)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, Json));
    }

    public static MetricsSummary Read(string path) =>
        JsonSerializer.Deserialize<MetricsSummary>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty metrics file");
}
