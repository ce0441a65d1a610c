using System.Text.Json;
using Robotics.Datasets.Benchmarks;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Xunit.Abstractions;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>Minari written episode by episode from a source (the path convert takes): the same dataset, memory one episode.</summary>
[Collection(nameof(StreamingMemoryCollection))]
public sealed class MinariStreamingWriteTests(ITestOutputHelper output)
{
    public static TheoryData<string, bool> Sources => new()
    {
        { "pointmaze", false },
        { "nested", false },
        { "jpeg", true },
    };

    private static string Fixture(string name) => name switch
    {
        "pointmaze" => MinariReadConformanceTests.Pointmaze,
        "nested" => MinariReadConformanceTests.Nested,
        _ => MinariReadConformanceTests.Jpeg,
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void A_streamed_source_writes_the_same_dataset_as_the_whole_one_for_our_reader_h5py_and_minari(string fixture, bool jpeg)
    {
        using var dir = new TempDir();
        var ds = MinariDataset.Read(Fixture(fixture));
        var options = new MinariWriteOptions { JpegImages = jpeg };
        string whole = MinariDataset.Write(dir.File("whole"), ds, "copy-v0", options);
        string streamed;
        using (var source = new LiveHeapProbe(new FlatDatasetSource(ds), D4rlKeys.Rewards))
            streamed = MinariDataset.WriteSource(dir.File("streamed"), source, "copy-v0", options);

        var a = MinariDataset.Read(whole);
        var b = MinariDataset.Read(streamed);
        Assert.Equal(a.ColumnInfos.Select(c => c.ToString()), b.ColumnInfos.Select(c => c.ToString()));
        foreach (var key in a.Columns.Keys)
            Assert.Equal(a.Column(key).Data, b.Column(key).Data);
        Assert.Equal(a.Metadata.Keys.Order(), b.Metadata.Keys.Order());
        foreach (var (key, value) in a.Metadata)
            Assert.Equal(value.ToString(), b.Metadata[key].ToString());

        string Data(string folder, string name) => Path.Combine(folder, "data", name);
        Assert.Equal(File.ReadAllText(Data(whole, MinariDataset.MetadataFile)), File.ReadAllText(Data(streamed, MinariDataset.MetadataFile)));
        Assert.Equal(H5Dump.Of(Data(whole, MinariDataset.DataFile)), H5Dump.Of(Data(streamed, MinariDataset.DataFile)));
        Assert.Equal(MinariUpstreamReader.Read(whole).GetRawText(), MinariUpstreamReader.Read(streamed).GetRawText());
    }

    [Fact]
    public void MinariFormat_streams_writes_to_a_dataset_folder()
    {
        using var dir = new TempDir();
        var format = new MinariFormat();
        Assert.True(format.StreamsWrites);
        using (var source = new SyntheticD4rlSource(9000, seed: 2))
            format.WriteSource(dir.File("synthetic-v0"), source);
        var back = MinariDataset.Read(dir.File("synthetic-v0"));
        using var reference = new SyntheticD4rlSource(9000, seed: 2);
        Assert.Equal(reference.ReadAll().Column(D4rlKeys.Observations).Data, back.Column(D4rlKeys.Observations).Data);
    }

    [Fact]
    public void A_corpus_many_times_the_bound_is_written_with_the_live_heap_bounded_by_one_episode()
    {
        using var dir = new TempDir();
        const long rows = 400_000; // 166 bytes a row: 66 MB of rows
        long rowBytes = new SyntheticD4rlSource(1).Columns.Sum(c => (long)c.RowBytes);
        using var probe = new LiveHeapProbe(new SyntheticD4rlSource(rows, seed: 5), D4rlKeys.Rewards);
        var started = System.Diagnostics.Stopwatch.StartNew();
        string folder = MinariDataset.WriteSource(dir.Path, probe, "big-v0");
        probe.Sample();
        string h5 = Path.Combine(folder, "data", MinariDataset.DataFile);
        output.WriteLine($"{rows} rows ({rows * rowBytes / 1e6:F1} MB), {probe.Samples} samples: live heap grew at most {probe.MaxGrowthBytes / 1e6:F2} MB; {started.Elapsed.TotalSeconds:F1} s; file {new FileInfo(h5).Length / 1e6:F1} MB");
        Assert.True(probe.Samples > 100, $"{probe.Samples} samples");
        Assert.True(probe.MaxGrowthBytes < rows * rowBytes / 8, $"live heap grew {probe.MaxGrowthBytes / 1e6:F2} MB for {rows * rowBytes / 1e6:F1} MB of rows");

        const string script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], 'r')
            n = len(f.keys())
            last = f[f'episode_{n - 1}']
            print(json.dumps({'rows': sum(f[f'episode_{i}']['actions'].shape[0] for i in range(n)),
                              'last': last['observations'][-2].tolist(), 'qvel': last['infos']['qvel'][-1].tolist()}))
            """;
        var py = JsonDocument.Parse(PythonReference.Run(script, h5)).RootElement;
        Assert.Equal(rows, py.GetProperty("rows").GetInt64());
        using var synthetic = new SyntheticD4rlSource(rows, seed: 5);
        var last = new float[17];
        synthetic.ReadRowsAsFloats(D4rlKeys.Observations, rows - 1, 1, last);
        Assert.Equal(last.Select(v => (double)v), py.GetProperty("last").EnumerateArray().Select(v => v.GetDouble()));
        var qvel = new float[8];
        synthetic.ReadRowsAsFloats("infos/qvel", rows - 1, 1, qvel);
        Assert.Equal(qvel.Select(v => (double)v), py.GetProperty("qvel").EnumerateArray().Select(v => v.GetDouble()));
    }
}
