using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>v2.1 folders (most of the public hub) read, and converted to v3.0 through our writer.</summary>
public sealed class LeRobotV21Tests
{
    private static string V21 => Fixtures.Path("lerobot_v21");

    [Fact]
    public void A_v21_folder_reads_with_its_per_episode_files_and_videos()
    {
        var ds = LeRobotDataset.Read(V21);
        Assert.Equal(8, ds.RowCount);
        Assert.Equal([5, 3], ds.Episodes().Select(e => e.Length));
        Assert.Equal(Enumerable.Range(0, 8).SelectMany(i => new[] { 1f * i, 2f }), ds.Column("actions").AsSpan<float>().ToArray());
        Assert.Equal(["stack the blocks"], ds.Metadata["metadata/task_instructions"].Strings);
        Assert.Equal(30.0, LeRobotDataset.FpsOf(ds));

        // v2.1 keeps one video per episode, each starting at time 0.
        var laptop = ds.Column("infos/observation.images.laptop");
        Assert.Equal([8, 64, 64, 3], laptop.Shape);
        int frame = 64 * 64 * 3, row = 0;
        for (int e = 0; e < 2; e++)
        {
            var reference = FfmpegCli.DecodeAll(Path.Combine(V21, "videos", "chunk-000", "observation.images.laptop", $"episode_{e:000000}.mp4"), 64, 64);
            foreach (var expected in reference)
            {
                Assert.True(expected.AsSpan().SequenceEqual(laptop.Data.AsSpan(row * frame, frame)), $"row {row}");
                row++;
            }
        }

        Assert.Equal(8, row);
    }

    [Fact]
    public void A_v21_folder_converts_to_a_v30_folder_that_upstream_reads()
    {
        using var dir = new TempDir();
        var ds = LeRobotDataset.Read(V21, new LeRobotReadOptions { Features = ["observation.state", "action"] });
        string v3 = dir.File("v3");
        LeRobotDataset.Write(v3, ds); // fps from the source's info.json
        Assert.Empty(LeRobotUpstreamChecker.Check(v3));
        var info = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(v3, "meta", "info.json")))!;
        Assert.Equal(30, (int)info["fps"]!);
        Assert.Equal("so100_follower", info["robot_type"]!.ToString());
        var back = LeRobotDataset.Read(v3);
        Assert.Equal(ds.Column("observations").Data, back.Column("observations").Data);
        Assert.Equal(ds.Column("actions").Data, back.Column("actions").Data);
        Assert.Equal(ds.Column("infos/timestamp").Data, back.Column("infos/timestamp").Data);
        Assert.Equal(ds.Flags("timeouts"), back.Flags("timeouts"));
        Assert.Equal(ds.Metadata["metadata/task_instructions"].Strings, back.Metadata["metadata/task_instructions"].Strings);
    }
}
