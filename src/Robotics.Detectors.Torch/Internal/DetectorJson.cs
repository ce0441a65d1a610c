using System.Text.Json;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>One JSON shape (web defaults: camelCase, indented) for options and manifests, so detector.json reads the same everywhere.</summary>
internal static class DetectorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
