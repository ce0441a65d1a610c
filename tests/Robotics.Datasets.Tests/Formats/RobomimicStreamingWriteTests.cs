using System.Text.Json;
using Robotics.Datasets.Benchmarks;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Xunit.Abstractions;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>robomimic written demo by demo from a source (the path convert takes): the same file, memory one demo.</summary>
[Collection(nameof(StreamingMemoryCollection))]
public sealed class RobomimicStreamingWriteTests(ITestOutputHelper output)
{
    private const string DoneMode2 = "robomimic_done_mode2.hdf5";

    [Fact]
    public void A_streamed_source_writes_the_same_file_as_the_whole_dataset_for_our_reader_h5py_and_robomimics_loader()
    {
        using var dir = new TempDir();
        var ds = RobomimicDataset.Read(Fixtures.Path(DoneMode2));
        string whole = dir.File("whole.hdf5"), streamed = dir.File("streamed.hdf5");
        RobomimicDataset.Write(whole, ds);
        var format = new RobomimicFormat();
        Assert.True(format.StreamsWrites);
        using (var source = new LiveHeapProbe(new FlatDatasetSource(ds), D4rlKeys.Actions))
            format.WriteSource(streamed, source);

        var a = RobomimicDataset.Read(whole);
        var b = RobomimicDataset.Read(streamed);
        Assert.Equal(a.ColumnInfos.Select(c => c.ToString()), b.ColumnInfos.Select(c => c.ToString()));
        foreach (var key in a.Columns.Keys)
            Assert.Equal(a.Column(key).Data, b.Column(key).Data);
        Assert.Equal(a.Metadata.Keys.Order(), b.Metadata.Keys.Order());
        foreach (var (key, value) in a.Metadata)
            Assert.Equal(value.ToString(), b.Metadata[key].ToString());

        Assert.Equal(H5Dump.Of(whole), H5Dump.Of(streamed));
        Assert.Equal(RobomimicLoaderCheck.Run(Fixtures.Path(DoneMode2)).GetRawText(), RobomimicLoaderCheck.Run(streamed).GetRawText());
    }

    [Fact]
    public void A_corpus_many_times_the_bound_is_written_with_the_live_heap_bounded_by_one_demo()
    {
        using var dir = new TempDir();
        const long rows = 400_000; // 166 bytes a row: 66 MB of rows, written as about 100 MB (obs and next_obs)
        long rowBytes = new SyntheticD4rlSource(1).Columns.Sum(c => (long)c.RowBytes);
        string path = dir.File("big.hdf5");
        using var probe = new LiveHeapProbe(new SyntheticD4rlSource(rows, seed: 5), D4rlKeys.Actions);
        var started = System.Diagnostics.Stopwatch.StartNew();
        new RobomimicFormat().WriteSource(path, probe);
        probe.Sample();
        output.WriteLine($"{rows} rows ({rows * rowBytes / 1e6:F1} MB), {probe.Samples} samples: live heap grew at most {probe.MaxGrowthBytes / 1e6:F2} MB; {started.Elapsed.TotalSeconds:F1} s; file {new FileInfo(path).Length / 1e6:F1} MB");
        Assert.True(probe.Samples > 100, $"{probe.Samples} samples");
        Assert.True(probe.MaxGrowthBytes < rows * rowBytes / 8, $"live heap grew {probe.MaxGrowthBytes / 1e6:F2} MB for {rows * rowBytes / 1e6:F1} MB of rows");

        const string script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], 'r')
            demos = sorted(f['data'].keys(), key=lambda d: int(d[5:]))
            print(json.dumps({'total': int(f['data'].attrs['total']), 'rows': sum(f['data'][d]['actions'].shape[0] for d in demos),
                              'last': f['data'][demos[-1]]['obs']['state'][-1].tolist()}))
            """;
        var py = JsonDocument.Parse(PythonReference.Run(script, path)).RootElement;
        Assert.Equal(rows, py.GetProperty("total").GetInt64());
        Assert.Equal(rows, py.GetProperty("rows").GetInt64());
        var last = new float[17];
        using var synthetic = new SyntheticD4rlSource(rows, seed: 5);
        synthetic.ReadRowsAsFloats(D4rlKeys.Observations, rows - 1, 1, last);
        Assert.Equal(last.Select(v => (double)v), py.GetProperty("last").EnumerateArray().Select(v => v.GetDouble()));
    }
}
