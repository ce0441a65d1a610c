using Robotics.Core.Arrays;

namespace Robotics.Datasets.Trajectories;

/// <summary>
/// A value under metadata/: either text (a scalar string or a list of strings) or a numeric array.
/// Metadata has no row axis, so it is kept apart from the per-row columns.
/// </summary>
public sealed record MetadataValue
{
    private MetadataValue(NdArray? array, IReadOnlyList<string>? strings, bool isScalar)
    {
        Array = array;
        Strings = strings;
        IsScalar = isScalar;
    }

    public NdArray? Array { get; }

    public IReadOnlyList<string>? Strings { get; }

    /// <summary>True for a scalar (a single string or a 0-d number), false for a list or array.</summary>
    public bool IsScalar { get; }

    public bool IsText => Strings is not null;

    /// <summary>The text of a scalar string value.</summary>
    public string Text => Strings is { Count: > 0 } s ? s[0] : throw new InvalidOperationException("This metadata value is not text.");

    public static MetadataValue FromText(string text) => new(null, [text], true);

    public static MetadataValue FromStrings(IEnumerable<string> strings) => new(null, strings.ToArray(), false);

    public static MetadataValue FromArray(NdArray array) => new(array, null, array.Shape.Length == 0);

    public override string ToString() => IsText
        ? IsScalar ? $"\"{Text}\"" : $"[{string.Join(", ", Strings!.Select(s => $"\"{s}\""))}]"
        : Array!.ElementCount <= 8 ? $"{Array} = [{string.Join(", ", Array.ToFloats().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]" : Array.ToString();
}
