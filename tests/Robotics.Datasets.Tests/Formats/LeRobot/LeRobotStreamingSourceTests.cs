using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Validation;
using Xunit.Abstractions;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>
/// inspect / stats / validate open LeRobot folders through <see cref="LeRobotTrajectorySource"/>: video rows are
/// decoded as the pass reads them, never whole, with the same values as the whole read.
/// Alone in the memory collection so other tests' allocations do not count.
/// </summary>
[Collection(nameof(LeRobotMemoryTests))]
public sealed class LeRobotStreamingSourceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("lerobot_v30_record", "infos/observation.images.front")]
    [InlineData("lerobot_v21", "infos/observation.images.laptop")]
    public void Stats_of_a_video_feature_streamed_equal_the_whole_load_result(string fixture, string camera)
    {
        string folder = Fixtures.Path(fixture);
        using var streamed = new LeRobotFormat().OpenSource(folder);
        Assert.IsType<LeRobotTrajectorySource>(streamed);
        Assert.Equal(DType.UInt8, streamed.Column(camera).DType);
        Assert.Equal([64, 64, 3], streamed.Column(camera).RowShape);
        using var whole = new FlatDatasetSource(LeRobotDataset.Read(folder), folder);
        string[] keys = [camera, "observations"];
        // Blocks of 3 rows cross episode (and, in v2.1, file) boundaries.
        var a = DatasetStatistics.Compute(streamed, keys, blockRows: 3);
        var b = DatasetStatistics.Compute(whole, keys, blockRows: 3);
        foreach (string key in keys)
        {
            Assert.Equal(b[key].Count, a[key].Count);
            foreach (var pick in new Func<FeatureStatistics, double[]>[] { s => s.Mean, s => s.Std, s => s.Min, s => s.Max, s => s.Q01, s => s.Q10, s => s.Q50, s => s.Q90, s => s.Q99 })
                Assert.Equal(pick(b[key]), pick(a[key]));
        }

        Assert.True(a[camera].Max.Max() > a[camera].Min.Min(), "the frames are not blank");
        var report = DatasetValidator.Validate(streamed, new ValidationOptions());
        Assert.Equal(whole.RowCount, report.Rows);
        Assert.Equal(DatasetValidator.Validate(whole, new ValidationOptions()).Issues.Select(i => i.ToString()), report.Issues.Select(i => i.ToString()));
    }

    [Theory]
    [InlineData("lerobot_v30_record")]
    [InlineData("lerobot_v21")]
    public void The_source_answers_for_the_same_metadata_as_the_whole_read(string fixture)
    {
        var whole = LeRobotDataset.Read(Fixtures.Path(fixture));
        using ITrajectorySource source = LeRobotTrajectorySource.Open(Fixtures.Path(fixture));
        // Training takes the task list from here: a source that answered nothing would merge every task into one.
        Assert.Equal(whole.Metadata[D4rlKeys.TaskInstructions].Strings, source.Metadata(D4rlKeys.TaskInstructions)!.Strings);
        Assert.Contains(D4rlKeys.TaskInstructions, source.MetadataKeys);
        Assert.Null(source.Metadata("metadata/no_such_key"));
    }

    [Fact]
    public void Rows_read_backwards_and_out_of_order_are_the_whole_reads_rows()
    {
        string folder = Fixtures.Path("lerobot_v30_record");
        const string camera = "infos/observation.images.front";
        var expected = LeRobotDataset.Read(folder).Column(camera);
        using var source = LeRobotTrajectorySource.Open(folder);
        int frame = 64 * 64 * 3;
        var buffer = new byte[4 * frame];
        foreach (var (start, count) in new[] { (10, 4), (0, 2), (1, 4), (14, 1), (3, 3) })
        {
            source.ReadRows(camera, start, count, buffer.AsSpan(0, count * frame));
            Assert.True(buffer.AsSpan(0, count * frame).SequenceEqual(expected.Data.AsSpan(start * frame, count * frame)), $"rows {start}..{start + count}");
        }

        Assert.False(source.Metadata.ContainsKey("metadata/lerobot_unread_features"));
    }

    [Fact]
    public void Stats_of_a_long_video_allocate_a_fraction_of_the_decoded_frames()
    {
        using var dir = new TempDir();
        const int rows = 720, size = 128;
        const string camera = "infos/observation.images.cam";
        var pixels = new byte[rows * size * size * 3];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)((i / 3 % size) + (i / (size * size * 3)) * 7);
        var timeouts = new byte[rows];
        timeouts[rows / 2 - 1] = timeouts[rows - 1] = 1;
        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Enumerable.Range(0, rows).Select(i => (float)i).ToArray(), rows, 1),
            ["actions"] = NdArray.FromFloats(new float[rows], rows, 1),
            ["terminals"] = new NdArray(DType.Bool, [rows], new byte[rows]),
            ["timeouts"] = new NdArray(DType.Bool, [rows], timeouts),
            [camera] = new NdArray(DType.UInt8, [rows, size, size, 3], pixels),
        }, new Dictionary<string, MetadataValue>());
        string folder = dir.File("long");
        LeRobotDataset.Write(folder, ds, fps: 30);
        long decoded = (long)rows * size * size * 3;

        DatasetStatistics.Compute(LeRobotTrajectorySource.Open(folder), [camera], blockRows: 8, reservoirRows: 8); // warm up code paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        IReadOnlyDictionary<string, FeatureStatistics> stats;
        using (var source = LeRobotTrajectorySource.Open(folder))
            stats = DatasetStatistics.Compute(source, [camera], blockRows: 8, reservoirRows: 8);
        long streamed = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, stats[camera].Count);

        before = GC.GetAllocatedBytesForCurrentThread();
        var whole = LeRobotDataset.Read(folder);
        long loaded = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"decoded frames {decoded / 1e6:F1} MB; streamed stats allocated {streamed / 1e6:F1} MB; whole read {loaded / 1e6:F1} MB");
        Assert.True(loaded >= decoded, $"the whole read allocated {loaded / 1e6:F1} MB");
        Assert.True(streamed < decoded / 2, $"streamed stats allocated {streamed / 1e6:F1} MB of {decoded / 1e6:F1} MB of frames");
        Assert.Equal(rows, whole.RowCount);
    }
}
