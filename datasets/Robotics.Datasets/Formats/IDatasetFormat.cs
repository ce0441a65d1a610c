using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats;

/// <summary>A dataset format the tools can read and write, registered by name in <see cref="DatasetFormats"/>.</summary>
public interface IDatasetFormat
{
    /// <summary>The name used on the command line (--from / --to).</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>True when <paramref name="path"/> looks like this format (cheap: names and layout only).</summary>
    bool Detect(string path);

    FlatDataset Read(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Columns the format cannot be written without (its upstream loader reads them unconditionally),
    /// e.g. rewards for D4RL and robomimic. Converters check them first and name what is missing.
    /// </summary>
    IReadOnlyList<string> RequiredColumns => [];

    void Write(string path, FlatDataset dataset, CancellationToken cancellationToken = default);

    /// <summary>True when <see cref="WriteSource"/> writes block by block (memory bounded whatever the corpus size).</summary>
    bool StreamsWrites => false;

    /// <summary>Writes a source; formats that cannot stream load it whole first (<see cref="TrajectorySourceExtensions.ReadAll"/>).</summary>
    void WriteSource(string path, ITrajectorySource source, IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        Write(path, source.ReadAll(cancellationToken), cancellationToken);

    /// <summary>True when <see cref="OpenSource"/> reads rows on demand instead of loading the dataset whole.</summary>
    bool StreamsReads => false;

    /// <summary>Row access for streaming work (statistics, validation, sampling); loads whole unless the format can stream.</summary>
    ITrajectorySource OpenSource(string path, CancellationToken cancellationToken = default) => new FlatDatasetSource(Read(path, cancellationToken), path);
}
