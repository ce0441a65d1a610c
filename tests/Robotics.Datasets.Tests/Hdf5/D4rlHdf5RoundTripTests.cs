using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Hdf5;

public sealed class D4rlHdf5RoundTripTests
{
    internal static FlatDataset Sample(int n, int seed = 1)
    {
        var rng = new Random(seed);
        float[] Floats(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        byte[] Flags(double p) => Enumerable.Range(0, n).Select(_ => (byte)(rng.NextDouble() < p ? 1 : 0)).ToArray();
        var columns = new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(Floats(n * 4), n, 4),
            ["actions"] = NdArray.FromFloats(Floats(n * 2), n, 2),
            ["rewards"] = NdArray.FromFloats(Floats(n), n),
            ["terminals"] = new NdArray(DType.Bool, [n], Flags(0.05)),
            ["timeouts"] = new NdArray(DType.Bool, [n], Flags(0.05)),
            ["infos/qpos"] = NdArray.FromFloats(Floats(n * 2), n, 2),
            ["infos/task_index"] = new NdArray(DType.Int64, [n], Enumerable.Range(0, n).SelectMany(i => BitConverter.GetBytes((long)(i % 3))).ToArray()),
            ["infos/images/front"] = new NdArray(DType.UInt8, [n, 3, 2, 3], Enumerable.Range(0, n * 18).Select(i => (byte)(i * 7)).ToArray()),
        };
        var metadata = new Dictionary<string, MetadataValue>
        {
            ["metadata/algorithm"] = MetadataValue.FromText("scripted expert"),
            ["metadata/task_instructions"] = MetadataValue.FromStrings(["push the red block", "push the blue block", "open the drawer"]),
        };
        return new FlatDataset(columns, metadata);
    }

    [Fact]
    public void Write_then_read_keeps_keys_dtypes_shapes_and_values()
    {
        using var dir = new TempDir();
        var original = Sample(1000);
        string path = dir.File("d.hdf5");
        D4rlHdf5Writer.Write(path, original);

        var back = D4rlHdf5Reader.Read(path);
        Assert.Equal(original.RowCount, back.RowCount);
        Assert.Equal(original.Columns.Keys.Order(), back.Columns.Keys.Order());
        foreach (var (key, array) in original.Columns)
        {
            Assert.Equal(array.DType, back.Column(key).DType);
            Assert.Equal(array.Shape, back.Column(key).Shape);
            Assert.Equal(array.Data, back.Column(key).Data);
        }

        Assert.Equal("scripted expert", back.Metadata["metadata/algorithm"].Text);
        Assert.Equal(["push the red block", "push the blue block", "open the drawer"], back.Metadata["metadata/task_instructions"].Strings);
    }

    [Fact]
    public void H5py_reads_our_file_with_the_same_keys_dtypes_shapes_values_and_gzip()
    {
        using var dir = new TempDir();
        var original = Sample(500);
        string path = dir.File("d.hdf5");
        D4rlHdf5Writer.Write(path, original);

        const string script = """
import sys, json, h5py, numpy as np
out = {}
with h5py.File(sys.argv[1], 'r') as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            v = obj[()]
            entry = {'dtype': str(obj.dtype), 'shape': list(obj.shape), 'compression': obj.compression}
            if obj.dtype.kind in 'fiub':
                entry['sum'] = float(np.asarray(v, dtype=np.float64).sum())
                entry['first'] = np.asarray(v).reshape(-1)[:5].astype(np.float64).tolist()
            else:
                entry['text'] = [x.decode() if isinstance(x, bytes) else str(x) for x in np.atleast_1d(v).tolist()]
            out[name] = entry
    f.visititems(visit)
print(json.dumps(out))
""";
        var report = JsonDocument.Parse(PythonReference.Run(script, path)).RootElement;
        foreach (var (key, array) in original.Columns)
        {
            var entry = report.GetProperty(key);
            Assert.Equal(array.DType.ToNumpy(), entry.GetProperty("dtype").GetString());
            Assert.Equal(array.Shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal("gzip", entry.GetProperty("compression").GetString());
            double expectedSum = array.ToFloats().Select(v => (double)v).Sum();
            Assert.Equal(expectedSum, entry.GetProperty("sum").GetDouble(), 3);
            var first = array.ToFloats().Take(5).Select(v => (double)v).ToArray();
            Assert.Equal(first, entry.GetProperty("first").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        }

        Assert.Equal(["scripted expert"], report.GetProperty("metadata/algorithm").GetProperty("text").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, report.GetProperty("metadata/task_instructions").GetProperty("text").GetArrayLength());
    }
}
