using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>Our v3.0 writer, checked by <see cref="LeRobotUpstreamChecker"/> (ParquetSharp, upstream's reader rules) and read back.</summary>
public sealed class LeRobotWriterTests
{
    [Fact]
    public void Folder_has_the_v3_layout_passes_upstreams_rules_and_reads_back_to_the_same_episodes()
    {
        using var dir = new TempDir();
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        string folder = dir.File("push");
        LeRobotDataset.Write(folder, ds, new LeRobotWriteOptions { Fps = 20, DataFilesSizeInMb = 0.001 }); // forces a second data file; episodes never split
        Assert.True(File.Exists(Path.Combine(folder, "data", "chunk-000", "file-000.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "data", "chunk-000", "file-001.parquet")));
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json"))).RootElement;
        Assert.Equal("v3.0", info.GetProperty("codebase_version").GetString());
        Assert.Equal(20, info.GetProperty("fps").GetInt32());
        Assert.Equal(12, info.GetProperty("total_frames").GetInt32());
        Assert.Equal(3, info.GetProperty("total_episodes").GetInt32());
        Assert.Equal(2, info.GetProperty("total_tasks").GetInt32());
        var features = info.GetProperty("features");
        Assert.Equal([2], features.GetProperty("observation.state").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        // Width-1 actions: shape [1], stored as a plain value (upstream maps [1] to datasets.Value).
        Assert.Equal([1], features.GetProperty("action").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("bool", features.GetProperty("success").GetProperty("dtype").GetString());
        var stats = StatsJson.Read(Path.Combine(folder, "meta", "stats.json"));
        Assert.Equal(5.5, stats["observation.state"].Mean[0], 9); // rows 0..11
        Assert.Equal(12, stats["action"].Count);

        var back = LeRobotDataset.Read(folder);
        Assert.Equal(ds.Column("observations").Data, back.Column("observations").Data);
        Assert.Equal(ds.Column("actions").Data, back.Column("actions").Data);
        Assert.Equal([12, 1], back.Column("actions").Shape);
        Assert.Equal(ds.Column("rewards").Data, back.Column("rewards").Data);
        Assert.Equal(ds.Flags("terminals"), back.Flags("terminals"));
        Assert.Equal(ds.Flags("timeouts"), back.Flags("timeouts"));
        Assert.Equal(ds.Column("infos/task_index").Data, back.Column("infos/task_index").Data);
        Assert.Equal(ds.Column("infos/qpos").ToFloats(), back.Column("infos/qpos").ToFloats());
        Assert.Equal(ds.Flags("infos/success"), back.Flags("infos/success"));
        Assert.Equal(["push left", "push right"], back.Metadata["metadata/task_instructions"].Strings);
        Assert.Equal("lerobot", DatasetFormats.Default.Resolve(folder).Name);
    }

    [Fact]
    public void Extras_keep_their_dtypes_and_one_dimensional_observations_are_declared_with_shape_1()
    {
        using var dir = new TempDir();
        int n = 6;
        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Enumerable.Range(0, n).Select(i => i * 1.5f).ToArray(), n),
            ["actions"] = NdArray.FromFloats(Enumerable.Range(0, 2 * n).Select(i => (float)i).ToArray(), n, 2),
            ["rewards"] = NdArray.FromFloats(new float[n], n),
            ["terminals"] = new NdArray(DType.Bool, [n], [0, 0, 1, 0, 0, 0]),
            ["timeouts"] = new NdArray(DType.Bool, [n], [0, 0, 0, 0, 0, 1]),
            ["infos/big"] = Bytes(DType.Int64, [n], Enumerable.Range(0, n).Select(i => 1_000_000_007L + i).ToArray()),
            ["infos/precise"] = Bytes(DType.Float64, [n, 2], Enumerable.Range(0, 2 * n).Select(i => 0.1 + i * 1e-12).ToArray()),
            ["infos/small"] = Bytes(DType.Int16, [n, 1], Enumerable.Range(0, n).Select(i => (short)(-300 + i)).ToArray()),
            ["infos/pixel"] = new NdArray(DType.UInt8, [n, 3], Enumerable.Range(0, 3 * n).Select(i => (byte)(250 + i % 6)).ToArray()),
        }, new Dictionary<string, MetadataValue> { [LeRobotDataset.FpsMetadataKey] = MetadataValue.FromText("15") });
        string folder = dir.File("extras");
        LeRobotDataset.Write(folder, ds);
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        var features = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json"))).RootElement.GetProperty("features");
        Assert.Equal([1], features.GetProperty("observation.state").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("int64", features.GetProperty("big").GetProperty("dtype").GetString());
        Assert.Equal("float64", features.GetProperty("precise").GetProperty("dtype").GetString());
        Assert.Equal("int16", features.GetProperty("small").GetProperty("dtype").GetString());
        Assert.Equal("uint8", features.GetProperty("pixel").GetProperty("dtype").GetString());
        Assert.Equal(15, JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json"))).RootElement.GetProperty("fps").GetInt32());

        var back = LeRobotDataset.Read(folder);
        Assert.Equal(ds.Column("infos/big").Data, back.Column("infos/big").Data);
        Assert.Equal(DType.Float64, back.Column("infos/precise").DType);
        Assert.Equal(ds.Column("infos/precise").Data, back.Column("infos/precise").Data);
        Assert.Equal(DType.Int16, back.Column("infos/small").DType);
        Assert.Equal(ds.Column("infos/small").Data, back.Column("infos/small").Data);
        Assert.Equal(ds.Column("infos/pixel").Data, back.Column("infos/pixel").Data);
        Assert.Equal(ds.Flags("terminals"), back.Flags("terminals"));
        Assert.Equal(ds.Flags("timeouts"), back.Flags("timeouts"));
        // next.done is terminated or truncated, as upstream means it.
        Assert.Equal([false, false, true, false, false, true], back.Flags("infos/next.done"));
    }

    [Fact]
    public void Unknown_fps_is_refused_and_non_finite_stats_are_written_as_python_writes_them()
    {
        using var dir = new TempDir();
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        var e = Assert.Throws<ArgumentException>(() => LeRobotDataset.Write(dir.File("no-fps"), ds));
        Assert.Contains("--fps", e.Message);
        Assert.False(Directory.Exists(dir.File("no-fps")));

        var obs = ds.Column("observations").ToFloats();
        obs[3] = float.NaN;
        var withNan = ds.WithColumn("observations", NdArray.FromFloats(obs, ds.Column("observations").Shape));
        LeRobotDataset.Write(dir.File("nan"), withNan, fps: 10);
        string stats = File.ReadAllText(dir.File("nan/meta/stats.json"));
        Assert.DoesNotContain("null", stats);
        Assert.Contains("NaN", stats);
        Assert.Empty(LeRobotUpstreamChecker.Check(dir.File("nan")));
    }

    [Fact]
    public async Task The_checker_flags_what_upstream_refuses()
    {
        using var dir = new TempDir();
        string folder = dir.File("bad");
        LeRobotDataset.Write(folder, EpisodeRecorderTests.ThreeEpisodes(), fps: 10);
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        // What the audit found in the old writer: no pandas index on tasks.parquet, a non-int fps,
        // a width-1 feature declared [1] but stored as a list.
        string tasks = Path.Combine(folder, "meta", "tasks.parquet");
        File.Delete(tasks);
        var rows = new List<IDictionary<string, object?>> { new Dictionary<string, object?> { ["task"] = (ReadOnlyMemory<char>?)"push".AsMemory(), ["task_index"] = 0L } };
        await using (var stream = File.Create(tasks))
            await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("task"), new Parquet.Schema.DataField<long>("task_index")), stream);
        string infoPath = Path.Combine(folder, "meta", "info.json");
        var info = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(infoPath))!;
        info["fps"] = 10.5;
        info["features"]!["observation.state"]!["shape"] = new System.Text.Json.Nodes.JsonArray(1);
        File.WriteAllText(infoPath, info.ToJsonString());
        var problems = LeRobotUpstreamChecker.Check(folder);
        Assert.Contains(problems, p => p.Contains("pandas", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("fps", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("observation.state", StringComparison.Ordinal) && p.Contains("plain value", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_folders_are_named()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("x/meta"));
        File.WriteAllText(dir.File("x/meta/info.json"), """{"codebase_version": "v1.6", "features": {}}""");
        var e = Assert.Throws<DatasetFormatException>(() => LeRobotDataset.Read(dir.File("x")));
        Assert.Contains("v1.6", e.Message);
        Assert.Contains("info.json", e.Message);
    }

    private static NdArray Bytes<T>(DType dtype, int[] shape, T[] values) where T : unmanaged =>
        new(dtype, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
