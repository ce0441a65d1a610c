using System.Text.Json.Nodes;
using Robotics.Core.Shapes;

namespace Robotics.Datasets.Formats.LeRobot;

/// <summary>
/// One entry of info.json's "features": its name, LeRobot dtype string ("float32", "int64", "bool",
/// "string", "language", "image", "video", ...), declared shape and the raw JSON (names, video info).
/// </summary>
public sealed record LeRobotFeature(string Name, string DType, int[] Shape, JsonObject Raw)
{
    public bool IsVideo => DType == "video";

    public bool IsImage => DType == "image";

    /// <summary>lerobot's language annotation columns: a list of structs per row (language.py).</summary>
    public bool IsLanguage => DType == "language";

    public bool IsString => DType == "string";

    /// <summary>The numpy dtype of a numeric feature, or null for string, language, image and video.</summary>
    public DType? Numeric => DTypeNames.TryParseNumpy(DType, out var d) && d != Core.Shapes.DType.String ? d : null;

    /// <summary>
    /// Upstream maps shape (1,) to a scalar <c>datasets.Value</c> (feature_utils.get_hf_features_from_features),
    /// so such a feature is one value per row, not a list of one.
    /// </summary>
    public bool IsScalar => Shape is [1];

    public int Width => Shape.Aggregate(1, (a, b) => a * b);

    public static LeRobotFeature Parse(string name, JsonNode? node, string origin)
    {
        if (node is not JsonObject obj)
            throw new Trajectories.DatasetFormatException(origin, $"features.{name}", "is not an object");
        string dtype = obj["dtype"]?.GetValue<string>() ?? throw new Trajectories.DatasetFormatException(origin, $"features.{name}.dtype", "missing");
        int[] shape = obj["shape"] is JsonArray array
            ? array.Select(s => s?.GetValue<int>() ?? throw new Trajectories.DatasetFormatException(origin, $"features.{name}.shape", "has a null dimension")).ToArray()
            : [1];
        return new LeRobotFeature(name, dtype, shape, obj);
    }
}
