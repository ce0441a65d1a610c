using System.Text.Json;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats;

public sealed class MinariDatasetTests
{
    [Fact]
    public void H5py_written_minari_folder_maps_to_the_flat_layout()
    {
        var ds = MinariDataset.Read(Fixtures.Path("minari_small"));
        Assert.Equal(7, ds.RowCount);
        // episode 0: obs rows k = 0..4 of [k, -k]; episode 1: [k + 10, -k], k = 0..3
        Assert.Equal([0f, 1, 2, 3, 10, 11, 12], ds.Floats("observations").ToArray().Where((_, i) => i % 2 == 0));
        Assert.Equal([1f, 2, 3, 4, 11, 12, 13], ds.Floats("next_observations").ToArray().Where((_, i) => i % 2 == 0));
        Assert.Equal(Robotics.Core.Shapes.DType.Float64, ds.Column("rewards").DType); // kept as stored
        Assert.Equal([false, false, false, true, false, false, false], ds.Flags("terminals"));
        Assert.Equal([false, false, false, false, false, false, true], ds.Flags("timeouts"));
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1], ds.Column("infos/episode_index").AsSpan<long>().ToArray());
        Assert.Equal([false, false, false, true, false, false, false], ds.Flags("infos/success"));
        var meta = JsonDocument.Parse(ds.Metadata[MinariDataset.MetadataKey].Text).RootElement;
        Assert.Equal(2, meta.GetProperty("total_episodes").GetInt32());
        Assert.Equal([4, 3], ds.Episodes().Select(e => e.Length));
    }

    [Fact]
    public void Written_minari_folder_reads_back_and_h5py_sees_T_plus_one_observations()
    {
        using var dir = new TempDir();
        var ds = MinariDataset.Read(Fixtures.Path("minari_small"));
        string folder = MinariDataset.Write(dir.Path, ds, "test/out-v0");
        Assert.Equal(Path.Combine(dir.Path, "test", "out-v0"), folder); // <root>/<dataset_id>, as minari lays it out
        var back = MinariDataset.Read(folder);
        foreach (var key in new[] { "observations", "next_observations", "actions", "rewards", "terminals", "timeouts", "infos/success" })
            Assert.Equal(ds.Column(key).Data, back.Column(key).Data);

        const string script = """
import sys, json, os, h5py, numpy as np
f = h5py.File(os.path.join(sys.argv[1], 'data', 'main_data.hdf5'), 'r')
m = json.load(open(os.path.join(sys.argv[1], 'data', 'metadata.json')))
e0, e1 = f['episode_0'], f['episode_1']
assert e0['observations'].shape == (5, 2) and e1['observations'].shape == (4, 2)
assert e0['actions'].shape == (4, 1) and e0['terminations'].dtype == np.bool_
assert bool(e0['terminations'][-1]) and bool(e1['truncations'][-1])
assert int(e0.attrs['total_steps']) == 4 and int(e1.attrs['id']) == 1
assert np.array_equal(e1['observations'][:, 0], np.array([10, 11, 12, 13], dtype=np.float32))
assert m['total_episodes'] == 2 and m['total_steps'] == 7 and m['dataset_id'] == 'test/out-v0'
print('ok')
""";
        Assert.Equal("ok", PythonReference.Run(script, folder).Trim());
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir.Path, "test"), ".*"));
    }

    [Fact]
    public void Missing_keys_are_named()
    {
        using var dir = new TempDir();
        PythonReference.Run("""
import sys, os, h5py, numpy as np
os.makedirs(os.path.join(sys.argv[1], 'data'))
with h5py.File(os.path.join(sys.argv[1], 'data', 'main_data.hdf5'), 'w') as f:
    g = f.create_group('episode_0')
    g['observations'] = np.zeros((3, 2), np.float32)
    g['actions'] = np.zeros((2, 1), np.float32)
    g['rewards'] = np.zeros(2)
    g['terminations'] = np.zeros(2, bool)
""", dir.Path);
        var e = Assert.Throws<DatasetFormatException>(() => MinariDataset.Read(dir.Path));
        Assert.Contains("episode_0/truncations", e.Message);
    }
}
