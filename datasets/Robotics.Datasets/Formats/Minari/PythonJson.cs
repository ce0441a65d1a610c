using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// JSON as Python's json module writes it: bare NaN, Infinity and -Infinity are allowed (Minari's
/// serialised Box spaces carry them in low/high, e.g. Box(-inf, inf)). System.Text.Json rejects these
/// tokens, so they are carried through a node tree as marker strings and written back bare.
/// </summary>
internal static class PythonJson
{
    // A private-use character cannot start a real JSON string that a Python tool wrote by accident.
    private const char Marker = '\uE000';

    public static JsonNode? Parse(string text) => JsonNode.Parse(Quote(text));

    /// <summary>A number node, or a NaN / Infinity token read by <see cref="Parse"/>, as a double.</summary>
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v)
            return false;
        if (v.TryGetValue(out double d))
        {
            value = d;
            return true;
        }

        if (v.TryGetValue(out bool b))
        {
            value = b ? 1 : 0;
            return true;
        }

        if (v.TryGetValue(out string? s) && s.Length > 1 && s[0] == Marker)
        {
            value = s[1..] switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                _ => double.NegativeInfinity,
            };
            return true;
        }

        return false;
    }

    public static JsonValue NonFinite(double value) => JsonValue.Create(Marker + (double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity"));

    /// <summary>Writes <paramref name="node"/> as Python's json.dumps would read it back (non-finite numbers bare).</summary>
    public static string ToText(JsonNode? node, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, node);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value when value.TryGetValue(out string? s) && s.Length > 1 && s[0] == Marker:
                writer.WriteRawValue(s[1..], skipInputValidation: true);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Turns bare NaN / Infinity / -Infinity tokens (outside strings) into marker strings.</summary>
    private static string Quote(string text)
    {
        if (!text.Contains("NaN", StringComparison.Ordinal) && !text.Contains("Infinity", StringComparison.Ordinal))
            return text;
        var sb = new StringBuilder(text.Length + 16);
        bool inString = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                    sb.Append(text[++i]);
                else if (c == '"')
                    inString = false;
                continue;
            }

            if (c == '"')
            {
                inString = true;
                sb.Append(c);
                continue;
            }

            string? token = Match(text, i, "-Infinity") ?? Match(text, i, "Infinity") ?? Match(text, i, "NaN");
            if (token is not null)
            {
                sb.Append('"').Append(Marker).Append(token).Append('"');
                i += token.Length - 1;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string? Match(string text, int at, string token) =>
        string.CompareOrdinal(text, at, token, 0, token.Length) == 0 ? token : null;

}
