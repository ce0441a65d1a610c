namespace Robotics.Datasets.Trajectories;

/// <summary>
/// Row-wise random access to a flat trajectory store without loading it whole: the seam between
/// storage (in memory, HDF5, Parquet) and the statistics pass and the training sampler.
/// </summary>
public interface ITrajectorySource : IDisposable
{
    /// <summary>Where the rows come from (a path, or "memory"), for error messages.</summary>
    string Origin { get; }

    long RowCount { get; }

    IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>Copies rows [start, start + count) of <paramref name="key"/> as little-endian C-order bytes.</summary>
    void ReadRows(string key, long start, int count, Span<byte> destination);

    /// <summary>A metadata value (e.g. metadata/task_instructions), or null when the source has none under <paramref name="key"/>.</summary>
    MetadataValue? Metadata(string key);

    /// <summary>The keys <see cref="Metadata"/> answers for (e.g. metadata/algorithm).</summary>
    IReadOnlyCollection<string> MetadataKeys { get; }
}
