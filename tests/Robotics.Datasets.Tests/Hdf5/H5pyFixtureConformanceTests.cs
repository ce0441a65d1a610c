using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Hdf5;

/// <summary>The h5py-written D4RL fixture loads exactly (values recomputed from the script's formulas).</summary>
public sealed class H5pyFixtureConformanceTests
{
    private const int N = 60;

    [Fact]
    public void D4rl_fixture_loads_with_exact_values_dtypes_squeezing_and_metadata()
    {
        var ds = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_small.hdf5"));
        Assert.Equal(N, ds.RowCount);
        Assert.Equal(["actions", "infos/camera", "infos/goal", "infos/qpos", "infos/step", "infos/task_id", "observations", "rewards", "terminals", "timeouts"], ds.Columns.Keys.Order(StringComparer.Ordinal));

        var obs = ds.Floats("observations").ToArray();
        var act = ds.Floats("actions").ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(i * 0.5f, obs[i * 3]);
            Assert.Equal(i * 0.25f, obs[i * 3 + 1]);
            Assert.Equal(-(float)i, obs[i * 3 + 2]);
            Assert.Equal((float)Math.Sin((float)i), act[i * 2], 6);
            Assert.Equal((float)Math.Cos((float)i), act[i * 2 + 1], 6);
        }

        Assert.Equal([N], ds.Column("rewards").Shape); // stored (N, 1), squeezed as d4rl does
        Assert.Equal([N], ds.Column("terminals").Shape);
        Assert.Equal(DType.Bool, ds.Column("terminals").DType);
        Assert.Equal(DType.Bool, ds.Column("timeouts").DType);
        Assert.Equal(DType.Int64, ds.Column("infos/step").DType);
        Assert.Equal(Enumerable.Range(0, N).Select(i => (float)(i % 7)), ds.Floats("rewards").ToArray());
        Assert.Equal(Enumerable.Range(0, N).Select(i => i % 17 == 16), ds.Flags("terminals"));
        Assert.Equal(Enumerable.Range(0, N).Select(i => i % 25 == 24), ds.Flags("timeouts"));
        Assert.Equal(Enumerable.Range(0, N).Select(i => (long)i), ds.Column("infos/step").AsSpan<long>().ToArray());
        Assert.Equal(DType.Int32, ds.Column("infos/task_id").DType);
        Assert.Equal(Enumerable.Range(0, N).Select(i => i % 4), ds.Column("infos/task_id").AsSpan<int>().ToArray());
        Assert.Equal(DType.UInt8, ds.Column("infos/camera").DType);
        Assert.Equal([N, 4, 4, 3], ds.Column("infos/camera").Shape);
        Assert.Equal(Enumerable.Range(0, N * 48).Select(i => (byte)(i * 3 % 256)), ds.Column("infos/camera").Data);
        // Per-row strings have no numeric row type: they travel as a string list under their own key.
        Assert.Equal(Enumerable.Range(0, N).Select(i => $"step {i}"), ds.Metadata["infos/instruction"].Strings);
        Assert.Equal("scripted waypoint expert", ds.Metadata["metadata/algorithm"].Text);
        Assert.Equal(1234L, ds.Metadata["metadata/seed"].Array!.AsSpan<long>()[0]);
        Assert.Equal([23.85, 161.86], ds.Metadata["metadata/ref_scores"].Array!.AsSpan<double>().ToArray());

        var episodes = ds.Episodes();
        Assert.Equal([0L, 17, 25, 34, 50, 51], episodes.Select(e => e.Start));
    }

    [Fact]
    public void Rewriting_the_fixture_and_reading_it_back_in_h5py_gives_the_same_arrays()
    {
        using var dir = new TempDir();
        var ds = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_small.hdf5"));
        string ours = dir.File("ours.hdf5");
        D4rlHdf5Writer.Write(ours, ds);
        const string script = """
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1], 'r'); b = h5py.File(sys.argv[2], 'r')
for k in ['observations', 'actions', 'timeouts', 'infos/goal', 'infos/qpos', 'infos/step', 'infos/task_id', 'infos/camera']:
    assert a[k].dtype == b[k].dtype, (k, a[k].dtype, b[k].dtype)
    assert a[k].shape == b[k].shape, (k, a[k].shape, b[k].shape)
    assert np.array_equal(a[k][()], b[k][()]), k
for k in ['rewards', 'terminals']:
    assert a[k].dtype == b[k].dtype, k
    assert np.array_equal(a[k][()].reshape(-1), b[k][()].reshape(-1)), k
assert b['metadata/algorithm'][()] in (b'scripted waypoint expert', 'scripted waypoint expert')
assert int(b['metadata/seed'][()]) == 1234
assert [x.decode() if isinstance(x, bytes) else x for x in b['infos/instruction'][()]] == ['step %d' % k for k in range(60)]
assert np.array_equal(b['metadata/ref_scores'][()], a['metadata/ref_scores'][()])
print('ok')
""";
        Assert.Equal("ok", PythonReference.Run(script, Fixtures.Path("d4rl_small.hdf5"), ours).Trim());
    }

    [Fact]
    public void Truncated_and_garbage_files_give_a_clear_error_naming_the_file()
    {
        using var dir = new TempDir();
        byte[] bytes = File.ReadAllBytes(Fixtures.Path("d4rl_small.hdf5"));
        string truncated = dir.File("truncated.hdf5");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsAny<Exception>(() => D4rlHdf5Reader.Read(truncated));
        Assert.IsType<DatasetFormatException>(e);
        Assert.Contains("truncated.hdf5", e.Message);

        string garbage = dir.File("garbage.hdf5");
        File.WriteAllText(garbage, "this is not hdf5");
        var g = Assert.Throws<DatasetFormatException>(() => D4rlHdf5Reader.Read(garbage));
        Assert.Contains("garbage.hdf5", g.Message);
        Assert.Throws<FileNotFoundException>(() => D4rlHdf5Reader.Read(dir.File("missing.hdf5")));
    }

    [Fact]
    public void Corrupted_chunk_bytes_give_a_clear_error_naming_the_file()
    {
        using var dir = new TempDir();
        string path = dir.File("corrupt.hdf5");
        D4rlHdf5Writer.Write(path, D4rlHdf5RoundTripTestsAccess.Sample(20_000), new Hdf5WriteOptions { ChunkBytes = 64 << 10 });
        byte[] bytes = File.ReadAllBytes(path);
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 4096; i++)
            bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DatasetFormatException>(() => D4rlHdf5Reader.Read(path));
        Assert.Contains("corrupt.hdf5", e.Message);
    }
}
