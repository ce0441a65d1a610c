namespace Robotics.Datasets.Hdf5;

/// <summary>How trajectory columns are laid out in HDF5: gzip (deflate) level and chunk size.</summary>
public sealed record Hdf5WriteOptions
{
    public static Hdf5WriteOptions Default { get; } = new();

    /// <summary>Deflate level; PureHDF accepts -1 (zlib default), 0, 1 or 9. 1 keeps writing fast; every level reads the same.</summary>
    public int CompressionLevel { get; init; } = 1;

    /// <summary>Target bytes per chunk; rows per chunk follow from the row size. Bigger chunks read faster.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    public void Validate()
    {
        if (CompressionLevel is not (-1 or 0 or 1 or 9))
            throw new ArgumentOutOfRangeException(nameof(CompressionLevel), CompressionLevel, "Deflate level must be -1, 0, 1 or 9 (PureHDF's supported levels).");
        if (ChunkBytes < 1024)
            throw new ArgumentOutOfRangeException(nameof(ChunkBytes), ChunkBytes, "Chunks must be at least 1 KiB.");
    }
}
