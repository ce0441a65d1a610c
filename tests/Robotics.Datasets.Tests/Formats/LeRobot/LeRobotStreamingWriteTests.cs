using Robotics.Datasets.Benchmarks;
using Robotics.Datasets.Formats.LeRobot;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Xunit.Abstractions;

namespace Robotics.Datasets.Tests.Formats.LeRobot;

/// <summary>LeRobot written episode by episode from a source (the path convert takes): the same folder, memory one episode.</summary>
[Collection(nameof(StreamingMemoryCollection))]
public sealed class LeRobotStreamingWriteTests(ITestOutputHelper output)
{
    /// <summary>Every file of a folder (relative path and bytes).</summary>
    private static SortedDictionary<string, byte[]> Files(string folder) => new(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);

    [Theory]
    [InlineData("lerobot_v30_record")] // a video camera, copied packet for packet
    [InlineData("lerobot_v30_sim")]
    [InlineData("lerobot_v21")]
    public void A_streamed_lerobot_source_writes_the_same_folder_byte_for_byte_as_the_whole_dataset(string fixture)
    {
        using var dir = new TempDir();
        string whole = dir.File("whole"), streamed = dir.File("streamed");
        LeRobotDataset.Write(whole, LeRobotDataset.Read(Fixtures.Path(fixture)));
        Assert.True(new LeRobotFormat().StreamsWrites);
        using (var source = LeRobotTrajectorySource.Open(Fixtures.Path(fixture)))
            new LeRobotFormat().WriteSource(streamed, source);

        var a = Files(whole);
        var b = Files(streamed);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
        var back = LeRobotDataset.Read(streamed);
        Assert.Equal(LeRobotDataset.Read(whole).ColumnInfos.Select(c => c.ToString()), back.ColumnInfos.Select(c => c.ToString()));
    }

    [Fact]
    public void An_encoded_camera_source_writes_the_same_folder_as_the_whole_dataset()
    {
        using var dir = new TempDir();
        using var camera = new SyntheticCameraSource(300, episodeLength: 60);
        string whole = dir.File("whole"), streamed = dir.File("streamed");
        LeRobotDataset.Write(whole, camera.ReadAll());
        LeRobotDataset.WriteSource(streamed, camera, new LeRobotWriteOptions());
        var a = Files(whole);
        var b = Files(streamed);
        Assert.Equal(a.Keys, b.Keys);
        Assert.Contains(a.Keys, k => k.EndsWith(".mp4", StringComparison.Ordinal));
        foreach (var (name, bytes) in a)
            Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs");
    }

    [Fact]
    public void A_state_corpus_is_written_holding_one_episode_plus_the_index_columns_and_per_episode_records()
    {
        using var dir = new TempDir();
        const long rows = 200_000; // 166 bytes a row: 33 MB of rows, many more as boxed parquet values
        long rowBytes = new SyntheticD4rlSource(1).Columns.Sum(c => (long)c.RowBytes);
        // Warm up first: what the first write leaves for good (pooled buffers, caches) is not growth with the corpus.
        using (var small = new SyntheticD4rlSource(8000, seed: 1))
            LeRobotDataset.WriteSource(dir.File("warm-up"), small, new LeRobotWriteOptions { Fps = 20 });
        using var probe = new LiveHeapProbe(new SyntheticD4rlSource(rows, seed: 5), D4rlKeys.Actions);
        var started = System.Diagnostics.Stopwatch.StartNew();
        LeRobotDataset.WriteSource(dir.File("big"), probe, new LeRobotWriteOptions { Fps = 20, DataFilesSizeInMb = 4 });
        probe.Sample();
        output.WriteLine($"{rows} rows ({rows * rowBytes / 1e6:F1} MB), {probe.Samples} samples: live heap grew at most {probe.MaxGrowthBytes / 1e6:F2} MB; {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(probe.Samples > 100, $"{probe.Samples} samples");
        // Held by design besides one episode: the index columns (task index, terminals, timeouts: 10 bytes a row) and
        // each episode's meta/episodes row and stats (tens of KB an episode), written at the end; not the rows themselves.
        int episodes = probe.Samples - 1;
        long allowed = rows * 10 + episodes * 40_000L + (2 << 20);
        output.WriteLine($"{episodes} episodes: allowed {allowed / 1e6:F2} MB (10 B a row + 40 KB an episode + 2 MB)");
        Assert.True(probe.MaxGrowthBytes < allowed, $"live heap grew {probe.MaxGrowthBytes / 1e6:F2} MB; allowed {allowed / 1e6:F2} MB");
        Assert.True(probe.MaxGrowthBytes < rows * rowBytes / 2, $"live heap grew {probe.MaxGrowthBytes / 1e6:F2} MB for {rows * rowBytes / 1e6:F1} MB of rows");

        using var back = LeRobotTrajectorySource.Open(dir.File("big"));
        Assert.Equal(rows, back.RowCount);
        var last = new float[17];
        var expected = new float[17];
        back.ReadRowsAsFloats(D4rlKeys.Observations, rows - 1, 1, last);
        using var synthetic = new SyntheticD4rlSource(rows, seed: 5);
        synthetic.ReadRowsAsFloats(D4rlKeys.Observations, rows - 1, 1, expected);
        Assert.Equal(expected, last);
    }

    [Fact]
    public void A_camera_corpus_many_times_the_bound_is_encoded_with_the_live_heap_bounded_by_one_episode()
    {
        using var dir = new TempDir();
        const long rows = 4000; // 64 x 64 x 3 frames: 49 MB of pixels, in episodes of 100 frames (1.2 MB)
        using var probe = new LiveHeapProbe(new SyntheticCameraSource(rows), SyntheticCameraSource.Camera, D4rlKeys.Actions);
        long pixels = rows * 64 * 64 * 3;
        var started = System.Diagnostics.Stopwatch.StartNew();
        LeRobotDataset.WriteSource(dir.File("camera"), probe, new LeRobotWriteOptions());
        probe.Sample();
        output.WriteLine($"{rows} frames ({pixels / 1e6:F1} MB of pixels), {probe.Samples} samples: live heap grew at most {probe.MaxGrowthBytes / 1e6:F2} MB; {started.Elapsed.TotalSeconds:F1} s");
        Assert.True(probe.Samples >= 80, $"{probe.Samples} samples"); // the camera when encoded, the actions when written
        Assert.True(probe.MaxGrowthBytes < pixels / 8, $"live heap grew {probe.MaxGrowthBytes / 1e6:F2} MB for {pixels / 1e6:F1} MB of pixels");

        using var back = LeRobotTrajectorySource.Open(dir.File("camera"));
        Assert.Equal(rows, back.RowCount);
        Assert.Contains(back.Columns, c => c.DType == Core.Shapes.DType.UInt8 && c.RowShape.SequenceEqual([64, 64, 3]));
    }
}
