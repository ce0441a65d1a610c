using System.Text.RegularExpressions;

namespace Robotics.Datasets.Formats.Minari;

/// <summary>
/// A Minari dataset id, "[namespace/]name-vN", checked with minari.dataset.minari_dataset's
/// DATASET_ID_RE. The version is required: upstream's parse_dataset_id calls int() on it, so an id
/// without "-vN" fails to load. The dataset lives at &lt;root&gt;/&lt;id&gt; (namespaces are folders).
/// </summary>
public sealed partial record MinariDatasetId(string? Namespace, string Name, int Version)
{
    [GeneratedRegex(@"^(?:(?<namespace>[-_\w][-_\w/]*[-_\w]+)/)?(?<dataset>[-_\w]+?)(?:-v(?<version>\d+))?$")]
    private static partial Regex Pattern();

    public static MinariDatasetId Parse(string id)
    {
        var match = Pattern().Match(id);
        if (!match.Success || !match.Groups["version"].Success)
            throw new ArgumentException($"'{id}' is not a Minari dataset id: ids are [namespace/]name-vN (letters, digits, '-' and '_'; e.g. robotics/pointmaze-v0)", nameof(id));
        string? ns = match.Groups["namespace"].Success && match.Groups["namespace"].Value.Length > 0 ? match.Groups["namespace"].Value : null;
        return new MinariDatasetId(ns, match.Groups["dataset"].Value, int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public static bool IsValid(string id)
    {
        var match = Pattern().Match(id);
        return match.Success && match.Groups["version"].Success;
    }

    /// <summary>The dataset's folder under a datasets root, as minari.storage.get_dataset_path lays it out.</summary>
    public string FolderUnder(string root) => Path.Combine([root, .. ToString().Split('/')]);

    public override string ToString() => $"{(Namespace is null ? "" : Namespace + "/")}{Name}-v{Version}";
}
