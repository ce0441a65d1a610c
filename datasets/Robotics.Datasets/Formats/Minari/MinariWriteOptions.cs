namespace Robotics.Datasets.Formats.Minari;

/// <summary>What <see cref="MinariDataset.Write"/> records besides the data.</summary>
public sealed record MinariWriteOptions
{
    /// <summary>Authors (metadata.json "author", a list: upstream makes a set of it). Default: the source's authors, else this tool.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    public IReadOnlyList<string>? AuthorEmails { get; init; }

    public string? AlgorithmName { get; init; }

    public string? Description { get; init; }
}
