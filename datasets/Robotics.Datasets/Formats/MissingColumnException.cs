namespace Robotics.Datasets.Formats;

/// <summary>A dataset cannot be written as <see cref="Format"/> because columns that format requires are missing.</summary>
public sealed class MissingColumnException(string path, string format, IReadOnlyList<string> missing)
    : Exception($"{path}: {format} requires {string.Join(", ", missing.Select(k => $"'{k}'"))}, which the dataset does not have")
{
    public string Path { get; } = path;

    public string Format { get; } = format;

    public IReadOnlyList<string> Missing { get; } = missing;
}
