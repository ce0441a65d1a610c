namespace Robotics.Datasets.Formats.Minari;

/// <summary>What <see cref="MinariDataset.Write"/> records besides the data.</summary>
public sealed record MinariWriteOptions
{
    /// <summary>Authors (metadata.json "author", a list: upstream makes a set of it). Default: the source's authors, else this tool.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    public IReadOnlyList<string>? AuthorEmails { get; init; }

    public string? AlgorithmName { get; init; }

    public string? Description { get; init; }

    /// <summary>
    /// JPEG-encode image leaves (uint8 Box of at least 32 x 32 with bounds 0..255, minari's
    /// is_image_space) as minari 0.5.3 does, which always decodes such spaces as JPEG; metadata.json then
    /// says jpeg_encoding: true. Lossy. Default false: raw rows, jpeg_encoding: false (read by later Minari).
    /// </summary>
    public bool JpegImages { get; init; }

    /// <summary>JPEG quality when <see cref="JpegImages"/> is set; 75 is PIL's default, which minari uses.</summary>
    public int JpegQuality { get; init; } = 75;
}
