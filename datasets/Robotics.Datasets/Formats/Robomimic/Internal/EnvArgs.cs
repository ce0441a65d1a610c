using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic.Internal;

/// <summary>
/// data.attrs["env_args"] as robomimic's loader needs it: file_utils.get_env_metadata_from_dataset
/// does json.loads and reads env_meta["env_kwargs"] at once, env_utils reads env_meta["type"] and
/// env_meta["env_name"]. A source's env_args keeps every key it has; missing ones are filled: the
/// name from the source's metadata where one is known (Minari's env_spec id), type 2
/// (EnvType.GYM_TYPE, what robomimic's own convert_d4rl.py writes for non-robosuite data) and empty
/// env_kwargs.
/// </summary>
internal static class EnvArgs
{
    public const int GymType = 2;

    public const string UnknownEnvName = "unknown";

    public static string Complete(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        JsonObject? source = Parse(metadata);
        JsonObject env = source ?? new JsonObject();
        bool changed = source is null;
        if (env["env_name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
        {
            env["env_name"] = EnvNameFromMetadata(metadata) ?? UnknownEnvName;
            changed = true;
        }

        if (env["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.Number)
        {
            env["type"] = GymType;
            changed = true;
        }

        if (env["env_kwargs"] is not JsonObject)
        {
            env["env_kwargs"] = new JsonObject();
            changed = true;
        }

        // A complete source text is written back byte for byte (robomimic writes it with indent=4).
        return changed ? env.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) : metadata[RobomimicKeys.EnvArgs].Text;
    }

    private static JsonObject? Parse(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        if (!metadata.TryGetValue(RobomimicKeys.EnvArgs, out var value) || !value.IsText || !value.IsScalar)
            return null;
        try
        {
            return JsonNode.Parse(value.Text) as JsonObject;
        }
        catch (JsonException)
        {
            return null; // not JSON: robomimic could not read it either, so it is replaced
        }
    }

    /// <summary>Minari keeps the environment in metadata.json's env_spec (a JSON string with "id").</summary>
    private static string? EnvNameFromMetadata(IReadOnlyDictionary<string, MetadataValue> metadata)
    {
        if (!metadata.TryGetValue("metadata/minari", out var minari) || !minari.IsText || !minari.IsScalar)
            return null;
        try
        {
            var spec = JsonNode.Parse(minari.Text)?["env_spec"];
            if (spec is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                spec = JsonNode.Parse(text.GetValue<string>());
            return spec?["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
