using System.Text.Json.Nodes;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// Language tool_calls written with the type pyarrow infers from them, as lerobot's annotation writer stores
/// them (structs, not JSON strings), and read back to the same calls.
/// </summary>
public sealed class LeRobotToolCallsTests
{
    private const string Say = """{"type":"function","function":{"name":"say","arguments":{"text":"hello"}}}""";
    private const string Move = """{"type":"function","function":{"name":"move","arguments":{"dx":1.5,"steps":3}}}""";

    [Fact]
    public void Structured_tool_calls_are_written_as_nested_structs_and_read_back()
    {
        using var dir = new TempDir();
        string[] events =
        [
            $$"""[{"role":"assistant","content":null,"style":null,"camera":null,"tool_calls":[{{Say}}]}]""",
            "[]",
            $$"""[{"role":"assistant","content":"moving","style":"motion","camera":null,"tool_calls":[{{Move}},{{Say}}]}]""",
            "[]",
        ];
        var ds = Dataset(events);
        string folder = dir.File("calls");
        LeRobotDataset.Write(folder, ds);
        Assert.Empty(LeRobotUpstreamChecker.Check(folder));

        // language_events: list<struct<..., tool_calls: list<struct<type, function: struct<name, arguments: struct<text, dx, steps>>>>>>
        using (var reader = new ParquetSharp.ParquetFileReader(Path.Combine(folder, "data", "chunk-000", "file-000.parquet")))
        {
            var paths = Enumerable.Range(0, reader.FileMetaData.Schema.NumColumns).Select(c => reader.FileMetaData.Schema.Column(c).Path.ToDotString()).ToArray();
            Assert.Contains(paths, p => p.StartsWith("language_events.", StringComparison.Ordinal) && p.EndsWith(".tool_calls.list.element.function.arguments.text", StringComparison.Ordinal));
            Assert.Contains(paths, p => p.EndsWith(".tool_calls.list.element.function.arguments.dx", StringComparison.Ordinal));
            var steps = Enumerable.Range(0, reader.FileMetaData.Schema.NumColumns).Select(reader.FileMetaData.Schema.Column).Single(c => c.Path.ToDotString().EndsWith(".arguments.steps", StringComparison.Ordinal));
            Assert.Equal(ParquetSharp.PhysicalType.Int64, steps.PhysicalType);
            Assert.DoesNotContain(paths, p => p.EndsWith(".tool_calls.list.element", StringComparison.Ordinal)); // not a string leaf
        }

        var back = LeRobotDataset.Read(folder).Metadata[LeRobotDataset.RowsMetadataPrefix + "language_events"].Strings!;
        Assert.Equal("[]", back[1]);
        var row2 = JsonNode.Parse(back[2])!.AsArray();
        Assert.Equal("moving", row2[0]!["content"]!.ToString());
        var calls = row2[0]!["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Equal("move", calls[0]!["function"]!["name"]!.ToString());
        Assert.Equal(1.5, (double)calls[0]!["function"]!["arguments"]!["dx"]!);
        Assert.Equal(3, (long)calls[0]!["function"]!["arguments"]!["steps"]!);
        // pyarrow's inference unions the keys: a key one call lacks reads back null there.
        Assert.Null(calls[0]!["function"]!["arguments"]!["text"]);
        Assert.Equal("hello", calls[1]!["function"]!["arguments"]!["text"]!.ToString());
        Assert.Null(calls[1]!["function"]!["arguments"]!["dx"]);
        Assert.Equal("say", JsonNode.Parse(back[0])![0]!["tool_calls"]![0]!["function"]!["name"]!.ToString());
    }

    [Fact]
    public void Calls_whose_types_cannot_be_unified_fall_back_to_strings()
    {
        using var dir = new TempDir();
        string[] events =
        [
            $$"""[{"role":"assistant","content":null,"style":null,"camera":null,"tool_calls":[{{Say}}]}]""",
            """[{"role":"assistant","content":null,"style":null,"camera":null,"tool_calls":["just text"]}]""",
            "[]",
            "[]",
        ];
        Assert.Null(LeRobotLanguage.ToolCalls(events));
        string folder = dir.File("mixed");
        LeRobotDataset.Write(folder, Dataset(events));
        var back = LeRobotDataset.Read(folder).Metadata[LeRobotDataset.RowsMetadataPrefix + "language_events"].Strings!;
        // The object is kept as its JSON text, the string as is.
        Assert.Equal(Say, JsonNode.Parse(back[0])![0]!["tool_calls"]![0]!.GetValue<string>());
        Assert.Equal("just text", JsonNode.Parse(back[1])![0]!["tool_calls"]![0]!.GetValue<string>());
    }

    private static FlatDataset Dataset(string[] events)
    {
        int n = events.Length;
        return new FlatDataset(new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n, 1),
            ["actions"] = NdArray.FromFloats(new float[n], n, 1),
            ["terminals"] = new NdArray(DType.Bool, [n], new byte[n]),
            ["timeouts"] = new NdArray(DType.Bool, [n], Enumerable.Range(0, n).Select(i => (byte)(i == n - 1 ? 1 : 0)).ToArray()),
        }, new Dictionary<string, MetadataValue>
        {
            [LeRobotDataset.FpsMetadataKey] = MetadataValue.FromText("10"),
            [LeRobotDataset.RowsMetadataPrefix + "language_events"] = MetadataValue.FromStrings(events),
        });
    }
}
