using System.Text.Json.Nodes;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// Data and video files cut at data_files_size_in_mb / video_files_size_in_mb into chunk-XXX/file-YYY with
/// chunks_size files per chunk, as upstream lays them out; tiny limits force several files here.
/// </summary>
public sealed class LeRobotFileSplitTests
{
    private const string Camera = "observation.images.cam";
    private static readonly int[] Lengths = [12, 20, 15, 25, 10, 18, 22, 14, 16, 11, 19, 13];

    private static readonly LeRobotWriteOptions Tiny = new() { Fps = 10, DataFilesSizeInMb = 0.02, VideoFilesSizeInMb = 0.005, ChunksSize = 2 };

    [Fact]
    public void Tiny_limits_give_several_data_and_video_files_in_several_chunks_and_read_back_equal()
    {
        using var dir = new TempDir();
        var ds = Corpus();
        string folder = dir.File("split");
        LeRobotDataset.Write(folder, ds, Tiny);
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        var dataFiles = Directory.GetFiles(Path.Combine(folder, "data"), "*.parquet", SearchOption.AllDirectories);
        var videoFiles = Directory.GetFiles(Path.Combine(folder, "videos", Camera), "*.mp4", SearchOption.AllDirectories);
        Assert.True(dataFiles.Length >= 3, $"{dataFiles.Length} data files");
        Assert.True(videoFiles.Length >= 3, $"{videoFiles.Length} video files");
        // chunks_size = 2: file-000, file-001, then chunk-001.
        Assert.True(File.Exists(Path.Combine(folder, "data", "chunk-001", "file-000.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "videos", Camera, "chunk-001", "file-000.mp4")));
        Assert.All(dataFiles.Concat(videoFiles), f => Assert.Matches(@"chunk-\d{3}[/\\]file-00[01]\.(parquet|mp4)$", f));

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json")))!;
        Assert.Equal(0.02, (double)info["data_files_size_in_mb"]!);
        Assert.Equal(2, (int)info["chunks_size"]!);

        var episodes = LeRobotVideoCopyTests.EpisodeRows(folder);
        Assert.Equal(Lengths.Length, episodes.Count);
        long row = 0;
        for (int e = 0; e < episodes.Count; e++)
        {
            Assert.Equal(row, (long)episodes[e]["dataset_from_index"]!);
            row += Lengths[e];
            Assert.Equal(row, (long)episodes[e]["dataset_to_index"]!);
            // Files only move forward: an episode is in the file of the one before it or the next one.
            if (e > 0)
            {
                foreach (string prefix in new[] { "data", $"videos/{Camera}" })
                {
                    long previous = Ordinal(episodes[e - 1], prefix), current = Ordinal(episodes[e], prefix);
                    Assert.True(current == previous || current == previous + 1, $"episode {e}: {prefix} file {current} after {previous}");
                }
            }
        }

        // Upstream's rule: a data file was closed because its size plus the next episode's estimated bytes
        // (the file's bytes per frame times the episode's frames) reached the limit.
        for (int e = 1; e < episodes.Count; e++)
        {
            if (Ordinal(episodes[e], "data") == Ordinal(episodes[e - 1], "data"))
                continue;
            long closed = Ordinal(episodes[e - 1], "data");
            var held = episodes.Where(x => Ordinal(x, "data") == closed).ToArray();
            long rows = held.Sum(x => (long)x["length"]!);
            double mb = new FileInfo(Path.Combine(folder, "data", $"chunk-{closed / 2:000}", $"file-{closed % 2:000}.parquet")).Length / (1024.0 * 1024.0);
            Assert.True(mb + mb / rows * Lengths[e] >= Tiny.DataFilesSizeInMb, $"data file {closed} closed at {mb} MiB");
        }

        var back = LeRobotDataset.Read(folder);
        foreach (string key in new[] { "observations", "actions", "rewards" })
            Assert.Equal(ds.Column(key).Data, back.Column(key).Data);
        Assert.Equal(ds.Flags("terminals"), back.Flags("terminals"));
        Assert.Equal(ds.Flags("timeouts"), back.Flags("timeouts"));
        Assert.Equal(Lengths, back.Episodes().Select(e => e.Length));

        // Each row's frame comes from the right file and time: closest to its own source frame (encoding is lossy).
        var a = ds.Column("infos/" + Camera);
        var b = back.Column("infos/" + Camera);
        int frame = 64 * 64 * 3;
        for (int r = 0; r < ds.RowCount; r++)
        {
            double same = MeanAbsDiff(a.Data.AsSpan(r * frame, frame), b.Data.AsSpan(r * frame, frame));
            foreach (int other in new[] { r - 1, r + 1 }.Where(o => o >= 0 && o < ds.RowCount))
                Assert.True(same < MeanAbsDiff(a.Data.AsSpan(other * frame, frame), b.Data.AsSpan(r * frame, frame)), $"row {r} is closer to source row {other}");
        }

        // Written again from what was read: the split video files are copied whole, packet for packet.
        string again = dir.File("again");
        LeRobotDataset.Write(again, back, Tiny);
        Assert.Empty(LeRobotUpstreamChecker.Check(again));
        foreach (string video in videoFiles)
            Assert.Equal(FfmpegCli.PacketHashes(video), FfmpegCli.PacketHashes(Path.Combine(again, Path.GetRelativePath(folder, video))));
        Assert.Equal(b.Data, LeRobotDataset.Read(again).Column("infos/" + Camera).Data);
    }

    [Fact]
    public void Default_limits_keep_one_file_each_and_record_upstreams_defaults()
    {
        using var dir = new TempDir();
        string folder = dir.File("one");
        LeRobotDataset.Write(folder, Corpus(), fps: 10);
        Assert.Single(Directory.GetFiles(Path.Combine(folder, "data"), "*.parquet", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(folder, "videos"), "*.mp4", SearchOption.AllDirectories));
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json")))!;
        Assert.Equal(100, (int)info["data_files_size_in_mb"]!);
        Assert.Equal(200, (int)info["video_files_size_in_mb"]!);
        Assert.Equal(1000, (int)info["chunks_size"]!);
    }

    private static long Ordinal(Dictionary<string, object?> episode, string prefix) =>
        (long)episode[$"{prefix}/chunk_index"]! * Tiny.ChunksSize + (long)episode[$"{prefix}/file_index"]!;

    /// <summary>Episodes of random 48-wide states (so parquet cannot shrink them) and a camera whose rows differ in colour.</summary>
    private static FlatDataset Corpus()
    {
        int n = Lengths.Sum();
        var random = new Random(7);
        var terminals = new byte[n];
        var timeouts = new byte[n];
        int end = 0;
        foreach (int length in Lengths)
        {
            end += length;
            timeouts[end - 1] = 1;
        }

        var pixels = new byte[n * 64 * 64 * 3];
        for (int r = 0; r < n; r++)
        {
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 64; x++)
                {
                    int p = ((r * 64 + y) * 64 + x) * 3;
                    pixels[p] = (byte)((x * 4 + r * 9) % 256);
                    pixels[p + 1] = (byte)((y * 4 + r * 5) % 256);
                    pixels[p + 2] = (byte)(r * 13 % 256);
                }
            }
        }

        return new FlatDataset(new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Enumerable.Range(0, n * 48).Select(_ => (float)random.NextDouble()).ToArray(), n, 48),
            ["actions"] = NdArray.FromFloats(Enumerable.Range(0, n * 2).Select(_ => (float)random.NextDouble()).ToArray(), n, 2),
            ["rewards"] = NdArray.FromFloats(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n),
            ["terminals"] = new NdArray(DType.Bool, [n], terminals),
            ["timeouts"] = new NdArray(DType.Bool, [n], timeouts),
            ["infos/" + Camera] = new NdArray(DType.UInt8, [n, 64, 64, 3], pixels),
        }, new Dictionary<string, MetadataValue>());
    }

    private static double MeanAbsDiff(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        long sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += Math.Abs(x[i] - y[i]);
        return (double)sum / x.Length;
    }
}
