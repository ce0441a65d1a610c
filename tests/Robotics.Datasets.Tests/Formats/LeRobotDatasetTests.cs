using System.Text.Json;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats;

public sealed class LeRobotDatasetTests
{
    [Fact]
    public void Folder_has_the_v3_layout_and_reads_back_to_the_same_episodes()
    {
        using var dir = new TempDir();
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        string folder = dir.File("push");
        LeRobotDataset.Write(folder, ds, fps: 20, rowsPerFile: 8); // forces a second data file; episodes never split
        Assert.True(File.Exists(Path.Combine(folder, "meta", "tasks.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "meta", "episodes", "chunk-000", "file-000.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "data", "chunk-000", "file-000.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "data", "chunk-000", "file-001.parquet")));

        var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json"))).RootElement;
        Assert.Equal("v3.0", info.GetProperty("codebase_version").GetString());
        Assert.Equal(12, info.GetProperty("total_frames").GetInt32());
        Assert.Equal(3, info.GetProperty("total_episodes").GetInt32());
        Assert.Equal(2, info.GetProperty("total_tasks").GetInt32());
        Assert.Equal(1000, info.GetProperty("chunks_size").GetInt32());
        Assert.Equal([2], info.GetProperty("features").GetProperty("observation.state").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var stats = StatsJson.Read(Path.Combine(folder, "meta", "stats.json"));
        Assert.Equal(5.5, stats["observation.state"].Mean[0], 9); // rows 0..11
        Assert.Equal(12, stats["action"].Count);

        var back = LeRobotDataset.Read(folder);
        Assert.Equal(ds.Column("observations").Data, back.Column("observations").Data);
        Assert.Equal(ds.Column("actions").Data, back.Column("actions").Data);
        Assert.Equal(ds.Column("rewards").Data, back.Column("rewards").Data);
        Assert.Equal(ds.Flags("terminals"), back.Flags("terminals"));
        Assert.Equal(ds.Flags("timeouts"), back.Flags("timeouts"));
        Assert.Equal(ds.Column("infos/task_index").Data, back.Column("infos/task_index").Data);
        Assert.Equal(ds.Column("infos/qpos").ToFloats(), back.Column("infos/qpos").ToFloats());
        Assert.Equal(["push left", "push right"], back.Metadata["metadata/task_instructions"].Strings);
        Assert.Equal("lerobot", DatasetFormats.Default.Resolve(folder).Name);
    }

    [Fact]
    public void Bad_folders_are_named()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("x/meta"));
        File.WriteAllText(dir.File("x/meta/info.json"), """{"codebase_version": "v2.1", "features": {}}""");
        var e = Assert.Throws<Robotics.Datasets.Trajectories.DatasetFormatException>(() => LeRobotDataset.Read(dir.File("x")));
        Assert.Contains("v2.1", e.Message);
        Assert.Contains("info.json", e.Message);
    }
}
