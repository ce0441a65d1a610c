using System.Text.Json.Nodes;
using Parquet.Schema;
using Parquet.Serialization;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Xunit.Abstractions;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

[CollectionDefinition(nameof(LeRobotMemoryTests), DisableParallelization = true)]
public sealed class LeRobotMemoryCollection;

/// <summary>
/// Reading only the state of a file whose image column holds 48 MB must not deserialise the images:
/// the reader skips column chunks it is not asked for (the audit saw 790 MB peak for 153 MB of images).
/// Alone in its collection so other tests' allocations do not count.
/// </summary>
[Collection(nameof(LeRobotMemoryTests))]
public sealed class LeRobotMemoryTests(ITestOutputHelper output)
{
    private const int Rows = 480;
    private const int ImageBytes = 100_000;

    [Fact]
    public async Task Reading_the_state_columns_of_an_image_heavy_file_does_not_deserialise_the_images()
    {
        using var dir = new TempDir();
        string folder = HeavyFolder(dir.File("heavy"));
        string data = Path.Combine(folder, "data", "chunk-000", "file-000.parquet");
        Assert.True(new FileInfo(data).Length > Rows * ImageBytes, "the image bytes are incompressible, so the file holds them all");

        LeRobotDataset.Read(folder, new LeRobotReadOptions { Features = ["observation.state"] }); // warm up code paths
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var ds = LeRobotDataset.Read(folder, new LeRobotReadOptions { Features = ["observation.state"] });
        long ours = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(Rows, ds.RowCount);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (float)i), ds.Column("observations").AsSpan<float>().ToArray().Where((_, k) => k % 4 == 0));
        Assert.True(ours < 8_000_000, $"reading the state allocated {ours / 1e6:F1} MB; the images are {Rows * (long)ImageBytes / 1e6:F0} MB");

        // The measure sees deserialised images: whole-file deserialisation (the old reader) allocates them all.
        before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var stream = File.OpenRead(data))
            await ParquetSerializer.DeserializeUntypedAsync(stream);
        long whole = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"file {new FileInfo(data).Length / 1e6:F1} MB; state-only read allocated {ours / 1e6:F2} MB; whole-file deserialisation {whole / 1e6:F1} MB");
        Assert.True(whole > Rows * (long)ImageBytes, $"whole-file deserialisation allocated only {whole / 1e6:F1} MB");
    }

    /// <summary>A v3.0 folder with a 4-wide state and an image column of random (incompressible) bytes.</summary>
    private static string HeavyFolder(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "meta", "episodes", "chunk-000"));
        Directory.CreateDirectory(Path.Combine(folder, "data", "chunk-000"));
        JsonObject Feature(string dtype, params int[] shape) => new() { ["dtype"] = dtype, ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()), ["names"] = null };
        var info = new JsonObject
        {
            ["codebase_version"] = "v3.0", ["fps"] = 30, ["chunks_size"] = 1000, ["total_episodes"] = 1, ["total_frames"] = Rows,
            ["data_path"] = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet", ["video_path"] = null,
            ["features"] = new JsonObject
            {
                ["observation.state"] = Feature("float32", 4),
                ["observation.images.top"] = Feature("image", 96, 128, 3),
                ["timestamp"] = Feature("float32", 1), ["frame_index"] = Feature("int64", 1), ["episode_index"] = Feature("int64", 1),
                ["index"] = Feature("int64", 1), ["task_index"] = Feature("int64", 1),
            },
        };
        File.WriteAllText(Path.Combine(folder, "meta", "info.json"), info.ToJsonString());
        var random = new Random(5);
        var rows = Enumerable.Range(0, Rows).Select(i =>
        {
            var image = new byte[ImageBytes];
            random.NextBytes(image);
            return (IDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["observation.state"] = new[] { (float)i, 1f, 2f, 3f },
                ["observation.images.top"] = new Dictionary<string, object?> { ["bytes"] = (ReadOnlyMemory<byte>?)image, ["path"] = null },
                ["timestamp"] = i / 30f, ["frame_index"] = (long)i, ["episode_index"] = 0L, ["index"] = (long)i, ["task_index"] = 0L,
            };
        }).ToList();
        var schema = new ParquetSchema(
            new ListField("observation.state", new DataField<float>("element")),
            new StructField("observation.images.top", new DataField<byte[]>("bytes"), new DataField<string>("path")),
            new DataField<float>("timestamp"), new DataField<long>("frame_index"), new DataField<long>("episode_index"), new DataField<long>("index"), new DataField<long>("task_index"));
        using (var stream = File.Create(Path.Combine(folder, "data", "chunk-000", "file-000.parquet")))
            ParquetSerializer.SerializeUntypedAsync(rows, schema, stream).GetAwaiter().GetResult();
        var episodes = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?>
            {
                ["episode_index"] = 0L, ["length"] = (long)Rows, ["data/chunk_index"] = 0L, ["data/file_index"] = 0L,
                ["dataset_from_index"] = 0L, ["dataset_to_index"] = (long)Rows,
            },
        };
        var episodeSchema = new ParquetSchema(
            new DataField<long>("episode_index"), new DataField<long>("length"), new DataField<long>("data/chunk_index"), new DataField<long>("data/file_index"),
            new DataField<long>("dataset_from_index"), new DataField<long>("dataset_to_index"));
        using (var stream = File.Create(Path.Combine(folder, "meta", "episodes", "chunk-000", "file-000.parquet")))
            ParquetSerializer.SerializeUntypedAsync(episodes, episodeSchema, stream).GetAwaiter().GetResult();
        return folder;
    }
}
