using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Core.IO;

namespace Robotics.Datasets.Tests.IO;

/// <summary>An interrupted write never leaves a partial file or folder under the final name.</summary>
public sealed class AtomicWriteTests
{
    [Fact]
    public void A_cancelled_hdf5_write_leaves_neither_the_file_nor_temporaries()
    {
        using var dir = new TempDir();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => D4rlHdf5Writer.Write(dir.File("out.hdf5"), D4rlHdf5RoundTripTestsAccess.Sample(100), cancellationToken: cancelled.Token));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_failing_write_keeps_the_previous_file_intact()
    {
        using var dir = new TempDir();
        string path = dir.File("out.hdf5");
        var first = D4rlHdf5RoundTripTestsAccess.Sample(50);
        D4rlHdf5Writer.Write(path, first);
        byte[] before = File.ReadAllBytes(path);
        // A dataset and a group with one name cannot both exist: the write fails, the old file stays.
        var clash = first.WithColumn("infos", first.Column("rewards"));
        Assert.ThrowsAny<Exception>(() => D4rlHdf5Writer.Write(path, clash));
        Assert.Equal(before, File.ReadAllBytes(path));
        // A crash half-way through the bytes (the mechanism the writers share) leaves no temporary and the old file.
        Assert.Throws<IOException>(() => Robotics.Core.IO.AtomicFile.Write(path, temp =>
        {
            File.WriteAllBytes(temp, before[..100]);
            throw new IOException("disk full");
        }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void An_interrupted_folder_conversion_leaves_no_folder()
    {
        using var dir = new TempDir();
        string folder = dir.File("lerobot");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LeRobotDataset.Write(folder, EpisodeRecorderTests.ThreeEpisodes(), cancellationToken: cancelled.Token));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));

        Assert.Throws<InvalidOperationException>(() => AtomicFolder.Write(folder, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "half.json"), "{");
            throw new InvalidOperationException("crash mid-write");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Cancelling_the_prefetching_sampler_stops_it()
    {
        using var sampler = new WindowSampler([new CorpusSpec("a", new FlatDatasetSource(EpisodeRecorderTests.ThreeEpisodes()))], new WindowSamplerOptions { BatchSize = 8 });
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in sampler.Batches(0, 1_000_000, cts.Token))
            {
                if (++seen == 5)
                    cts.Cancel();
            }
        });
        Assert.Equal(5, seen);
    }
}
