using System.Text.Json.Nodes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// Cameras of a LeRobot source are copied into the v3.0 output packet for packet (as upstream's v2.1 -> v3.0
/// converter and aggregate_videos concatenate with stream copy), not decoded and re-encoded.
/// </summary>
public sealed class LeRobotVideoCopyTests
{
    private const string Laptop = "observation.images.laptop";
    private static string V21 => Fixtures.Path("lerobot_v21");

    private static string V21Episode(int e) => Path.Combine(V21, "videos", "chunk-000", Laptop, $"episode_{e:000000}.mp4");

    [Fact]
    public void A_v21_camera_is_concatenated_without_re_encoding_and_its_timestamps_index_the_same_frames()
    {
        using var dir = new TempDir();
        var source = LeRobotDataset.Read(V21);
        string v3 = dir.File("v3");
        LeRobotDataset.Write(v3, source);
        Assert.Empty(LeRobotUpstreamChecker.Check(v3));

        // The packets are the source's, byte for byte, episode 0 then episode 1.
        string video = Path.Combine(v3, "videos", Laptop, "chunk-000", "file-000.mp4");
        Assert.Equal(FfmpegCli.PacketHashes(V21Episode(0)).Concat(FfmpegCli.PacketHashes(V21Episode(1))), FfmpegCli.PacketHashes(video));
        var decoded = FfmpegCli.DecodeAll(video, 64, 64);
        Assert.Equal(FfmpegCli.DecodeAll(V21Episode(0), 64, 64).Concat(FfmpegCli.DecodeAll(V21Episode(1), 64, 64)), decoded);

        // Episode 1 starts at its first packet in the joined file (5 frames of 512 ticks at 1/15360, plus the
        // concat demuxer's rounding of episode 0's container duration to 0.167 s), not at 5 / 30.
        var episodes = EpisodeRows(v3);
        Assert.Equal([0L, 0L], episodes.Select(e => (long)e[$"videos/{Laptop}/file_index"]!));
        Assert.Equal(0.0, (double)episodes[0][$"videos/{Laptop}/from_timestamp"]!);
        Assert.Equal(2565.0 / 15360, (double)episodes[1][$"videos/{Laptop}/from_timestamp"]!, 12);
        // to_timestamp = from + the episode file's stream duration, as upstream's converter records it.
        Assert.Equal(2560.0 / 15360, (double)episodes[0][$"videos/{Laptop}/to_timestamp"]!, 12);
        Assert.Equal((2565.0 + 1536) / 15360, (double)episodes[1][$"videos/{Laptop}/to_timestamp"]!, 12);

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(v3, "meta", "info.json")))!;
        Assert.Equal("av1", info["features"]![Laptop]!["info"]!["video.codec"]!.ToString());

        // Reading back decodes each row's frame at from_timestamp + timestamp: the same pixels as the v2.1 rows.
        var back = LeRobotDataset.Read(v3);
        Assert.Equal(source.Column("infos/" + Laptop).Data, back.Column("infos/" + Laptop).Data);
        Assert.Equal(source.Column("infos/timestamp").Data, back.Column("infos/timestamp").Data);
    }

    [Fact]
    public void A_v30_camera_round_trips_packet_for_packet()
    {
        using var dir = new TempDir();
        string fixture = Fixtures.Path("lerobot_v30_record");
        var source = LeRobotDataset.Read(fixture);
        string copy = dir.File("copy");
        LeRobotDataset.Write(copy, source);
        Assert.Empty(LeRobotUpstreamChecker.Check(copy));
        const string front = "observation.images.front";
        Assert.Equal(
            FfmpegCli.PacketHashes(Path.Combine(fixture, "videos", front, "chunk-000", "file-000.mp4")),
            FfmpegCli.PacketHashes(Path.Combine(copy, "videos", front, "chunk-000", "file-000.mp4")));
        var sourceEpisodes = EpisodeRows(fixture);
        var copyEpisodes = EpisodeRows(copy);
        Assert.Equal(sourceEpisodes.Select(e => (double)e[$"videos/{front}/from_timestamp"]!), copyEpisodes.Select(e => (double)e[$"videos/{front}/from_timestamp"]!));
        Assert.Equal(source.Column("infos/" + front).Data, LeRobotDataset.Read(copy).Column("infos/" + front).Data);
    }

    [Fact]
    public void Frames_changed_after_reading_are_re_encoded_not_copied()
    {
        using var dir = new TempDir();
        var source = LeRobotDataset.Read(V21);
        var frames = source.Column("infos/" + Laptop);
        frames.Data[0] ^= 0xFF; // one pixel of row 0 no longer the source's
        string v3 = dir.File("v3");
        LeRobotDataset.Write(v3, source);
        Assert.Empty(LeRobotUpstreamChecker.Check(v3));
        var packets = FfmpegCli.PacketHashes(Path.Combine(v3, "videos", Laptop, "chunk-000", "file-000.mp4"));
        Assert.NotEqual(FfmpegCli.PacketHashes(V21Episode(0)).Concat(FfmpegCli.PacketHashes(V21Episode(1))), packets);
        Assert.Equal(8, packets.Count);
        // Encoded frames sit at frame_index / fps: every row still finds its frame within tolerance_s.
        Assert.Equal([8, 64, 64, 3], LeRobotDataset.Read(v3).Column("infos/" + Laptop).Shape);
    }

    [Fact]
    public void The_reader_records_each_episodes_source_file_times_and_frame_hash()
    {
        var source = LeRobotDataset.Read(V21);
        var recorded = LeRobotVideoSource.Of(source, Laptop)!;
        Assert.Equal([5, 3], recorded.Episodes.Select(e => e.Rows));
        Assert.Equal([Path.GetFullPath(V21Episode(0)), Path.GetFullPath(V21Episode(1))], recorded.Episodes.Select(e => e.Path));
        Assert.Equal([0.0, 0.0], recorded.Episodes.Select(e => e.FromTimestamp));
        Assert.Equal([2560.0 / 15360, 1536.0 / 15360], recorded.Episodes.Select(e => e.ToTimestamp));
        Assert.Equal(LeRobotVideoSource.Hash(source.Column("infos/" + Laptop), 5, 3), recorded.Episodes[1].FramesSha256);
    }

    internal static List<Dictionary<string, object?>> EpisodeRows(string folder)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (string file in Directory.GetFiles(Path.Combine(folder, "meta", "episodes"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var table = Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            rows.AddRange(table.Data.Select(r => new Dictionary<string, object?>(r!)));
        }

        return rows;
    }
}
