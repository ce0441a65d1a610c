using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>Rank-3 to rank-5 numeric features written as datasets' Array3D / Array4D / Array5D (nested lists) and read back exactly.</summary>
public sealed class LeRobotHighRankTests
{
    [Fact]
    public void Rank_3_to_5_features_are_written_as_nested_lists_and_read_back_exactly()
    {
        using var dir = new TempDir();
        const int n = 7;
        var random = new Random(11);
        NdArray Random<T>(DType dtype, int[] rowShape, Func<T> next) where T : unmanaged
        {
            int width = rowShape.Aggregate(1, (a, b) => a * b);
            var values = Enumerable.Range(0, n * width).Select(_ => next()).ToArray();
            return new NdArray(dtype, [n, .. rowShape], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }

        var columns = new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Enumerable.Range(0, n * 2).Select(i => (float)i).ToArray(), n, 2),
            ["actions"] = NdArray.FromFloats(new float[n], n, 1),
            ["terminals"] = new NdArray(DType.Bool, [n], [0, 0, 1, 0, 0, 0, 0]),
            ["timeouts"] = new NdArray(DType.Bool, [n], [0, 0, 0, 0, 0, 0, 1]),
            ["infos/depth"] = Random(DType.Float32, [2, 3, 4], () => (float)random.NextDouble()),
            ["infos/voxels"] = Random(DType.UInt8, [4, 4, 2], () => (byte)random.Next(256)), // uint8 but not (H, W, 3): not a camera
            ["infos/field"] = Random(DType.Int16, [2, 2, 3, 2], () => (short)random.Next(-30000, 30000)),
            ["infos/tensor"] = Random(DType.Float64, [1, 2, 2, 3, 2], () => random.NextDouble() - 0.5),
            ["infos/too_deep"] = Random(DType.Float32, [1, 1, 1, 1, 1, 2], () => 1f),
        };
        var ds = new FlatDataset(columns, new Dictionary<string, MetadataValue> { [LeRobotDataset.FpsMetadataKey] = MetadataValue.FromText("10") });
        string folder = dir.File("ranks");
        LeRobotDataset.Write(folder, ds);
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta", "info.json")))!;
        Assert.Equal([2, 3, 4], info["features"]!["depth"]!["shape"]!.AsArray().Select(d => (int)d!));
        Assert.Equal("uint8", info["features"]!["voxels"]!["dtype"]!.ToString());
        Assert.Equal([1, 2, 2, 3, 2], info["features"]!["tensor"]!["shape"]!.AsArray().Select(d => (int)d!));
        // Upstream has no feature type above rank 5 (get_hf_features_from_features raises), so it is not written.
        Assert.Null(info["features"]!["too_deep"]);
        Assert.Equal(["infos/too_deep"], info["robotics_unwritten_columns"]!.AsArray().Select(c => c!.ToString()));

        // Nested one list level per dimension: depth 3 for Array3D, 5 for Array5D.
        using (var reader = new ParquetSharp.ParquetFileReader(Path.Combine(folder, "data", "chunk-000", "file-000.parquet")))
        {
            var schema = reader.FileMetaData.Schema;
            Assert.Equal(3, Depth(schema, "depth"));
            Assert.Equal(4, Depth(schema, "field"));
            Assert.Equal(5, Depth(schema, "tensor"));
        }

        var back = LeRobotDataset.Read(folder);
        foreach (string key in new[] { "infos/depth", "infos/voxels", "infos/field", "infos/tensor" })
        {
            Assert.Equal(ds.Column(key).DType, back.Column(key).DType);
            Assert.Equal(ds.Column(key).Shape, back.Column(key).Shape);
            Assert.Equal(ds.Column(key).Data, back.Column(key).Data);
        }

        // stats.json nests each stat to the feature's shape, as upstream's per-feature stats keep it.
        var stats = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "meta", "stats.json"))
            .Replace("NaN", "null", StringComparison.Ordinal).Replace("Infinity", "null", StringComparison.Ordinal))!;
        var mean = stats["depth"]!["mean"]!.AsArray();
        Assert.Equal(2, mean.Count);
        Assert.Equal(3, mean[0]!.AsArray().Count);
        Assert.Equal(4, mean[0]![0]!.AsArray().Count);
        float[] depth = ds.Column("infos/depth").AsSpan<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, n).Average(r => (double)depth[r * 24 + 5]), (double)mean[0]![1]![1]!, 6);
    }

    /// <summary>How many LIST levels a top-level column has.</summary>
    private static int Depth(ParquetSharp.SchemaDescriptor schema, string name)
    {
        var node = schema.GroupNode.Fields.Single(f => f.Name == name);
        int depth = 0;
        while (node is ParquetSharp.Schema.GroupNode group)
        {
            depth++;
            var repeated = group.Fields.Single();
            node = repeated is ParquetSharp.Schema.GroupNode inner && inner.Fields.Length == 1 ? inner.Fields[0] : repeated;
        }

        return depth;
    }
}
