using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Hdf5;

/// <summary>The block-by-block D4RL writer (the path convert takes for corpora larger than memory).</summary>
public sealed class StreamWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stream-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Blocks_written_one_at_a_time_read_back_exactly_in_h5py_and_equal_the_whole_file_writer()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes()
            .WithColumn("infos/camera", NdArray.FromBytes(Enumerable.Range(0, 12 * 2 * 3).Select(i => (byte)i).ToArray(), 12, 2, 3))
            .WithColumn("infos/count", new NdArray(Core.Shapes.DType.UInt16, [12], Enumerable.Range(0, 12).SelectMany(i => BitConverter.GetBytes((ushort)(60000 + i))).ToArray()));
        string streamed = Path.Combine(_dir, "streamed.hdf5"), whole = Path.Combine(_dir, "whole.hdf5");
        using (var source = new FlatDatasetSource(ds))
            D4rlHdf5StreamWriter.Write(streamed, source, blockRows: 5); // 12 rows: blocks of 5, 5, 2
        D4rlHdf5Writer.Write(whole, ds);

        using var back = Hdf5TrajectoryFile.Open(streamed);
        using var reference = Hdf5TrajectoryFile.Open(whole);
        Assert.Equal(reference.Columns.Select(c => c.ToString()), back.Columns.Select(c => c.ToString()));
        foreach (var column in reference.Columns)
            Assert.Equal(reference.ReadColumn(column.Key).Data, back.ReadColumn(column.Key).Data);
        Assert.Equal(["push left", "push right"], back.ReadMetadata("metadata/task_instructions").Strings);
        Assert.Equal("test", back.ReadMetadata("metadata/algorithm").Text);

        const string script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], 'r')
            print(json.dumps({
                'obs': f['observations'][:, 0].tolist(),
                'terminals': f['terminals'][()].astype(int).tolist(),
                'camera': f['infos/camera'][11].ravel().tolist(),
                'count': f['infos/count'][()].tolist(), 'count_dtype': str(f['infos/count'].dtype),
                'algorithm': f['metadata/algorithm'][()].decode()}))
            """;
        var py = JsonDocument.Parse(PythonReference.Run(script, streamed)).RootElement;
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (double)i), py.GetProperty("obs").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], py.GetProperty("terminals").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(Enumerable.Range(66, 6), py.GetProperty("camera").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("uint16", py.GetProperty("count_dtype").GetString());
        Assert.Equal(60011, py.GetProperty("count")[11].GetInt32());
        Assert.Equal("test", py.GetProperty("algorithm").GetString());
    }

    [Fact]
    public void A_source_without_a_required_key_is_refused_before_writing()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        var noRewards = new FlatDataset(ds.Columns.Where(c => c.Key != D4rlKeys.Rewards), ds.Metadata);
        string path = Path.Combine(_dir, "bad.hdf5");
        var e = Assert.Throws<DatasetFormatException>(() => D4rlHdf5StreamWriter.Write(path, new FlatDatasetSource(noRewards)));
        Assert.Contains("rewards", e.Message);
        Assert.False(File.Exists(path));
    }
}
