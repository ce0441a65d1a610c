using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>LeRobot folders in, v3.0 folders out, cameras included: checked by upstream's rules and read back.</summary>
public sealed class LeRobotConversionTests
{
    [Fact]
    public void A_v21_folder_with_video_converts_to_v30_with_the_frames_at_the_same_rows()
    {
        using var dir = new TempDir();
        var source = LeRobotDataset.Read(Fixtures.Path("lerobot_v21"));
        string v3 = dir.File("v3");
        LeRobotDataset.Write(v3, source);
        Assert.Empty(LeRobotUpstreamChecker.Check(v3));
        using (var episodes = new ParquetSharp.ParquetFileReader(Path.Combine(v3, "meta", "episodes", "chunk-000", "file-000.parquet")))
        {
            var names = episodes.FileMetaData.Schema.GroupNode.Fields.Select(f => f.Name).ToArray();
            Assert.Contains("stats/observation.images.laptop/mean", names);
            Assert.Contains("videos/observation.images.laptop/from_timestamp", names);
        }

        var back = LeRobotDataset.Read(v3);
        var a = source.Column("infos/observation.images.laptop");
        var b = back.Column("infos/observation.images.laptop");
        Assert.Equal(a.Shape, b.Shape);
        int frame = 64 * 64 * 3;
        for (int row = 0; row < 8; row++)
        {
            // The camera is copied, not re-encoded (LeRobotVideoCopyTests checks the packets); were it
            // re-encoded (lossy), each row would still have to keep its own frame: closer to the source
            // frame of the same row than to its neighbours'.
            double same = MeanAbsDiff(a.Data.AsSpan(row * frame, frame), b.Data.AsSpan(row * frame, frame));
            Assert.True(same < 6, $"row {row}: mean difference {same:F2} from its source frame");
            foreach (int other in new[] { row - 1, row + 1 }.Where(o => o is >= 0 and < 8))
                Assert.True(same < MeanAbsDiff(a.Data.AsSpan(other * frame, frame), b.Data.AsSpan(row * frame, frame)), $"row {row} is closer to source row {other}");
        }
    }

    [Fact]
    public void A_v30_recording_round_trips_with_exact_values_and_small_cameras_as_png_images()
    {
        using var dir = new TempDir();
        var source = LeRobotDataset.Read(Fixtures.Path("lerobot_v30_record"));
        string copy = dir.File("copy");
        LeRobotDataset.Write(copy, source);
        Assert.Empty(LeRobotUpstreamChecker.Check(copy));
        var back = LeRobotDataset.Read(copy);
        Assert.False(back.HasColumn("rewards"));
        foreach (string key in new[] { "observations", "actions", "infos/observation.counter", "infos/observation.precise", "infos/observation.grid", "infos/observation.images.wrist", "infos/timestamp" })
        {
            Assert.Equal(source.Column(key).DType, back.Column(key).DType);
            Assert.Equal(source.Column(key).Data, back.Column(key).Data);
        }

        Assert.Equal(source.Column("infos/observation.grid").Shape, back.Column("infos/observation.grid").Shape);
        Assert.Equal(source.Metadata[LeRobotDataset.RowsMetadataPrefix + "observation.note"].Strings, back.Metadata[LeRobotDataset.RowsMetadataPrefix + "observation.note"].Strings);
        Assert.Equal(DType.UInt8, back.Column("infos/observation.images.front").DType);
        // Language annotations go back to lists of structs and read as the same JSON rows.
        Assert.Equal(source.Metadata[LeRobotDataset.RowsMetadataPrefix + "language_persistent"].Strings, back.Metadata[LeRobotDataset.RowsMetadataPrefix + "language_persistent"].Strings);
        Assert.Contains("\"dtype\": \"language\"", File.ReadAllText(Path.Combine(copy, "meta", "info.json")));
        Assert.Equal(source.Flags("timeouts"), back.Flags("timeouts"));
        Assert.Equal(source.Metadata["metadata/task_instructions"].Strings, back.Metadata["metadata/task_instructions"].Strings);
    }

    private static double MeanAbsDiff(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        long sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += Math.Abs(x[i] - y[i]);
        return (double)sum / x.Length;
    }
}
