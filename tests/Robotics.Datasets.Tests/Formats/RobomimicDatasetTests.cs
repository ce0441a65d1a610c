using System.Text.Json;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Tests.Support;

namespace Robotics.Datasets.Tests.Formats;

public sealed class RobomimicDatasetTests
{
    [Fact]
    public void H5py_written_robomimic_file_maps_to_the_flat_layout()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path("robomimic_small.hdf5"));
        Assert.Equal(12, ds.RowCount);
        Assert.Equal([5, 3, 4], ds.Episodes().Select(e => e.Length));
        var image = ds.Column("obs/agentview_image");
        Assert.Equal(DType.UInt8, image.DType);
        Assert.Equal([12, 8, 8, 3], image.Shape);
        // demo 1 starts at row 5; pixel value = (flat index within the demo + 7 * demo) % 251
        Assert.Equal((byte)((0 + 7) % 251), image.Data[5 * 192]);
        Assert.Equal((byte)((191 + 14) % 251), image.Data[8 * 192 + 191]);
        Assert.Equal(DType.Float64, ds.Column("obs/robot0_eef_pos").DType);
        Assert.Equal([12, 3], ds.Column("observations").Shape); // low-dim obs concatenated as float32
        Assert.Equal([0f, 0, 1], ds.Floats("observations").ToArray()[15..18]); // demo 1, k = 0: [k, 2k, 3k + e]
        Assert.Equal(ds.Column("obs/robot0_eef_pos").ToFloats().Select(v => v + 1), ds.Column("next_obs/robot0_eef_pos").ToFloats());
        Assert.Equal([false, false, false, false, true, false, false, true, false, false, false, true], ds.Flags("terminals"));
        Assert.Equal(["demo_0", "demo_2"], ds.Metadata["metadata/mask/train"].Strings);
        Assert.Equal(["demo_1"], ds.Metadata["metadata/mask/valid"].Strings);
        Assert.Equal("Lift", JsonDocument.Parse(ds.Metadata["metadata/env_args"].Text).RootElement.GetProperty("env_name").GetString());
    }

    [Fact]
    public void Written_robomimic_file_reads_back_and_in_h5py()
    {
        using var dir = new TempDir();
        var ds = RobomimicDataset.Read(Fixtures.Path("robomimic_small.hdf5"));
        string path = dir.File("out.hdf5");
        RobomimicDataset.Write(path, ds);
        var back = RobomimicDataset.Read(path);
        foreach (var key in ds.Columns.Keys)
            Assert.Equal(ds.Column(key).Data, back.Column(key).Data);
        Assert.Equal(ds.Metadata["metadata/mask/train"].Strings, back.Metadata["metadata/mask/train"].Strings);

        const string script = """
import sys, json, h5py, numpy as np
a = h5py.File(sys.argv[1], 'r'); b = h5py.File(sys.argv[2], 'r')
assert int(b['data'].attrs['total']) == 12
assert json.loads(b['data'].attrs['env_args'])['env_name'] == 'Lift'
for d in ['demo_0', 'demo_1', 'demo_2']:
    assert int(b['data'][d].attrs['num_samples']) == a['data'][d]['actions'].shape[0]
    for k in ['actions', 'rewards', 'dones', 'states', 'obs/agentview_image', 'obs/robot0_eef_pos', 'next_obs/robot0_eef_pos']:
        x, y = a['data'][d][k], b['data'][d][k]
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x[()], y[()]), (d, k)
assert [s.decode() if isinstance(s, bytes) else s for s in b['mask/train'][()]] == ['demo_0', 'demo_2']
print('ok')
""";
        Assert.Equal("ok", PythonReference.Run(script, Fixtures.Path("robomimic_small.hdf5"), path).Trim());
    }
}
