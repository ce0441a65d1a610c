using Robotics.Core.Shapes;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// Reading v3.0 folders laid out as lerobot writes them (tools/fixtures/lerobot/make_lerobot_fixtures.cs:
/// Parquet.Net + the ffmpeg command line, independent of the reader's ParquetSharp / FFMpegCore path).
/// The expected values are recomputed from the generator's formulas, not copied from our output.
/// </summary>
public sealed class LeRobotV30ReadTests
{
    private static readonly int[] Lengths = [6, 4, 5];

    private static string Record => Fixtures.Path("lerobot_v30_record");

    [Fact]
    public void Int64_and_float64_features_keep_their_dtype_and_exact_values()
    {
        var ds = LeRobotDataset.Read(Record);
        var counter = ds.Column("infos/observation.counter");
        Assert.Equal(DType.Int64, counter.DType);
        Assert.Equal([15], counter.Shape); // shape [1] is a scalar per row upstream
        Assert.Equal(Enumerable.Range(0, 15).Select(i => 1_000_000_007L + i), counter.AsSpan<long>().ToArray());

        var precise = ds.Column("infos/observation.precise");
        Assert.Equal(DType.Float64, precise.DType);
        Assert.Equal([15, 2], precise.Shape);
        var values = precise.AsSpan<double>().ToArray();
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(0.1 + i * 1e-12, values[2 * i]); // not representable in float32
            Assert.Equal(Math.PI * i, values[2 * i + 1]);
        }

        Assert.Equal(DType.Float32, ds.Column("observations").DType);
        Assert.Equal([15, 3], ds.Column("observations").Shape);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (float)i + 0.125f), ds.Column("observations").AsSpan<float>().ToArray().Where((_, k) => k % 3 == 0));
    }

    [Fact]
    public void Rank_2_features_read_with_their_shape()
    {
        var grid = LeRobotDataset.Read(Record).Column("infos/observation.grid");
        Assert.Equal([15, 2, 3], grid.Shape);
        var v = grid.AsSpan<float>().ToArray();
        for (int i = 0; i < 15; i++)
            Assert.Equal(new float[] { i, i + 1, i + 2, i + 10, i + 11, i + 12 }, v.AsSpan(6 * i, 6).ToArray());
    }

    [Fact]
    public void String_and_language_features_read_as_per_row_text()
    {
        var ds = LeRobotDataset.Read(Record);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"note {i}"), ds.Metadata[LeRobotDataset.RowsMetadataPrefix + "observation.note"].Strings!);
        var language = ds.Metadata[LeRobotDataset.RowsMetadataPrefix + "language_persistent"].Strings!;
        Assert.Equal(15, language.Count);
        var first = System.Text.Json.Nodes.JsonNode.Parse(language[0])!.AsArray();
        Assert.Single(first);
        Assert.Equal("user", first[0]!["role"]!.ToString());
        Assert.Equal("pick the cube", first[0]!["content"]!.ToString());
        Assert.Equal("subtask", first[0]!["style"]!.ToString());
        Assert.Null(first[0]!["camera"]);
        Assert.Contains("\"say\"", first[0]!["tool_calls"]![0]!.ToString());
        Assert.Equal("[]", language[1]);
        Assert.Equal("place the cube", System.Text.Json.Nodes.JsonNode.Parse(language[6])![0]!["content"]!.ToString());
    }

    [Fact]
    public void A_recording_without_rewards_reads_without_inventing_them()
    {
        var ds = LeRobotDataset.Read(Record);
        Assert.False(ds.HasColumn("rewards"));
        // No next.done either: no terminal is invented; every episode's last row is a timeout.
        Assert.All(ds.Flags("terminals"), f => Assert.False(f));
        var ends = ds.Flags("timeouts").Select((f, i) => (f, i)).Where(p => p.f).Select(p => p.i);
        Assert.Equal([5, 9, 14], ends);
        Assert.Equal([6, 4, 5], ds.Episodes().Select(e => e.Length));
        Assert.Equal(10.0, LeRobotDataset.FpsOf(ds));
        Assert.Equal(["pick the cube", "place the cube"], ds.Metadata["metadata/task_instructions"].Strings);
        Assert.Equal("lerobot", DatasetFormats.Default.Resolve(Record).Name);
    }

    [Fact]
    public void Image_features_are_decoded_to_the_pixels_that_were_encoded()
    {
        var wrist = LeRobotDataset.Read(Record).Column("infos/observation.images.wrist");
        Assert.Equal(DType.UInt8, wrist.DType);
        Assert.Equal([15, 4, 6, 3], wrist.Shape);
        for (int i = 0; i < 15; i++)
        {
            // The generator's ImagePixels(6, 4, i), PNG is lossless.
            var expected = Enumerable.Range(0, 72).Select(k => (byte)((k * 7 + i * 31) % 256)).ToArray();
            Assert.Equal(expected, wrist.Data.AsSpan(i * 72, 72).ToArray());
        }
    }

    [Fact]
    public void Video_frames_are_the_frames_at_from_timestamp_plus_timestamp_as_the_ffmpeg_cli_decodes_them()
    {
        var ds = LeRobotDataset.Read(Record);
        var front = ds.Column("infos/observation.images.front");
        Assert.Equal([15, 64, 64, 3], front.Shape);
        var reference = FfmpegCli.DecodeAll(Path.Combine(Record, "videos", "observation.images.front", "chunk-000", "file-000.mp4"), 64, 64);
        Assert.Equal(15, reference.Count);
        int frame = 64 * 64 * 3;
        // Episodes are concatenated in one file: row r of the dataset is frame r of the file.
        for (int row = 0; row < 15; row++)
            Assert.True(reference[row].AsSpan().SequenceEqual(front.Data.AsSpan(row * frame, frame)), $"row {row} differs from frame {row} of the file");
        // Neighbouring frames differ, so a frame picked one off would be caught.
        Assert.False(reference[6].AsSpan().SequenceEqual(reference[7]));
    }

    [Fact]
    public async Task A_video_out_of_sync_with_the_rows_or_missing_is_an_error_not_a_skip()
    {
        using var dir = new TempDir();
        string copy = dir.File("record");
        CopyFolder(Record, copy);
        // Shift episode 1's start in the video by 5 ms (well beyond tolerance_s = 1e-4): its rows match no frame.
        string episodes = Path.Combine(copy, "meta", "episodes", "chunk-000", "file-000.parquet");
        Parquet.Serialization.DeserializationResult<Dictionary<string, object>> table;
        await using (var input = File.OpenRead(episodes))
            table = await Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(input);
        var rows = table.Data.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>(r!)).ToList();
        rows[1]["videos/observation.images.front/from_timestamp"] = (double)rows[1]["videos/observation.images.front/from_timestamp"]! + 0.005;
        await using (var stream = File.Create(episodes))
            await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(rows, table.Schema, stream);
        var e = Assert.Throws<Robotics.Datasets.Trajectories.DatasetFormatException>(() => LeRobotDataset.Read(copy));
        Assert.Contains("file-000.mp4", e.Message);
        Assert.Contains("tolerance", e.Message);
        // The state alone still reads: the video is not touched when it is not asked for.
        Assert.Equal(15, LeRobotDataset.Read(copy, new LeRobotReadOptions { Features = ["observation.state"] }).RowCount);

        File.Delete(Path.Combine(copy, "videos", "observation.images.front", "chunk-000", "file-000.mp4"));
        var missing = Assert.Throws<Robotics.Datasets.Trajectories.DatasetFormatException>(() => LeRobotDataset.Read(copy));
        Assert.Contains("missing", missing.Message);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void Only_the_requested_features_are_read_and_the_rest_are_listed()
    {
        var ds = LeRobotDataset.Read(Record, new LeRobotReadOptions { Features = ["observation.state", "action"] });
        Assert.True(ds.HasColumn("observations"));
        Assert.False(ds.HasColumn("infos/observation.images.front"));
        Assert.False(ds.HasColumn("infos/observation.images.wrist"));
        Assert.Contains("observation.images.front", ds.Metadata["metadata/lerobot_unread_features"].Strings!);
        Assert.Equal([0L, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2], ds.Column("infos/episode_index").AsSpan<long>().ToArray());
    }

    [Fact]
    public void Next_done_is_not_a_terminal_unless_the_episode_succeeded()
    {
        var ds = LeRobotDataset.Read(Fixtures.Path("lerobot_v30_sim"));
        // Episode 0 ends in success (gym-pusht terminates on success); episode 1 is cut by the time limit.
        Assert.Equal([false, false, false, true, false, false, false], ds.Flags("terminals"));
        Assert.Equal([false, false, false, false, false, false, true], ds.Flags("timeouts"));
        Assert.Equal([false, false, false, true, false, false, true], ds.Flags("infos/next.done"));
        Assert.Equal(DType.Float32, ds.Column("rewards").DType);
        Assert.Equal([0f, 0.25f, 0.5f, 1f, 0f, 0.25f, 0.5f], ds.Column("rewards").AsSpan<float>().ToArray());
        Assert.Contains("next.success", ds.Metadata["metadata/lerobot_done_rule"].Text);
        Assert.Equal(50.0, LeRobotDataset.FpsOf(ds));
    }
}
