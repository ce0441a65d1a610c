using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Hdf5;

/// <summary>int8 / int16 / uint16 / uint32 / uint64 columns read and written exactly (no float32 funnel), by h5py's reckoning.</summary>
public sealed class IntegerDTypeTests
{
    private const string WriteD4rl = """
import sys, h5py, numpy as np
n = 40; k = np.arange(n)
with h5py.File(sys.argv[1], 'w') as f:
    f['observations'] = np.stack([k, -k], 1).astype(np.float32)
    f['actions'] = ((k[:, None] + np.arange(3)) % 2).astype(np.int8)          # MultiBinary-style actions
    f['rewards'] = (k % 3).astype(np.float32)
    f['terminals'] = k % 10 == 9
    f['timeouts'] = np.zeros(n, bool)
    f.create_dataset('infos/i8', data=np.where(k % 2 == 0, -128 + k, 127 - k).astype(np.int8), compression='gzip')
    f['infos/i16'] = np.stack([-32768 + k, 32767 - k], 1).astype(np.int16)
    f['infos/u16'] = (65535 - k).astype(np.uint16)
    f['infos/u32'] = (4294967295 - k).astype(np.uint32)
    f['infos/u64'] = (np.uint64(2**64 - 1) - k.astype(np.uint64))
""";

    [Fact]
    public void H5py_integer_columns_of_every_width_are_read_exactly_and_d4rl_to_d4rl_keeps_them()
    {
        using var dir = new TempDir();
        string path = dir.File("ints.hdf5");
        PythonReference.Run(WriteD4rl, path);
        using (var file = Hdf5TrajectoryFile.Open(path))
            Assert.Empty(file.Skipped); // none of them skipped any more

        var ds = D4rlHdf5Reader.Read(path);
        Assert.Equal(DType.Int8, ds.Column("actions").DType);
        Assert.Equal([40, 3], ds.Column("actions").Shape);
        var i8 = ds.Column("infos/i8").AsSpan<sbyte>();
        var i16 = ds.Column("infos/i16").AsSpan<short>();
        var u16 = ds.Column("infos/u16").AsSpan<ushort>();
        var u32 = ds.Column("infos/u32").AsSpan<uint>();
        var u64 = ds.Column("infos/u64").AsSpan<ulong>();
        for (int k = 0; k < 40; k++)
        {
            Assert.Equal((sbyte)(k % 2 == 0 ? -128 + k : 127 - k), i8[k]);
            Assert.Equal((short)(-32768 + k), i16[2 * k]);
            Assert.Equal((short)(32767 - k), i16[2 * k + 1]);
            Assert.Equal((ushort)(65535 - k), u16[k]);
            Assert.Equal(uint.MaxValue - (uint)k, u32[k]);
            Assert.Equal(ulong.MaxValue - (ulong)k, u64[k]); // above 2^53: a float funnel would lose these
        }

        string ours = dir.File("ours.hdf5");
        D4rlHdf5Writer.Write(ours, ds);
        const string compare = """
import sys, h5py, numpy as np
a = h5py.File(sys.argv[1], 'r'); b = h5py.File(sys.argv[2], 'r')
for k in ['actions', 'infos/i8', 'infos/i16', 'infos/u16', 'infos/u32', 'infos/u64']:
    assert a[k].dtype == b[k].dtype, (k, a[k].dtype, b[k].dtype)
    assert a[k].shape == b[k].shape, k
    assert np.array_equal(a[k][()], b[k][()]), k
print('ok')
""";
        Assert.Equal("ok", PythonReference.Run(compare, path, ours).Trim());
        var back = D4rlHdf5Reader.Read(ours);
        foreach (var (key, array) in ds.Columns)
        {
            Assert.Equal(array.DType, back.Column(key).DType);
            Assert.Equal(array.Data, back.Column(key).Data);
        }
    }

    [Fact]
    public void Streamed_rows_and_statistics_of_narrow_integer_columns_match()
    {
        using var dir = new TempDir();
        string path = dir.File("ints.hdf5");
        PythonReference.Run(WriteD4rl, path);
        using var file = Hdf5TrajectoryFile.Open(path);
        var rows = new byte[5 * 2 * sizeof(short)];
        file.ReadRows("infos/i16", 7, 5, rows);
        Assert.Equal(Enumerable.Range(7, 5).SelectMany(k => new[] { (short)(-32768 + k), (short)(32767 - k) }),
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(rows).ToArray());
        var stats = DatasetStatistics.Compute(file, ["infos/u16", "infos/i8"]);
        Assert.Equal(65535d - 39, stats["infos/u16"].Min[0]);
        Assert.Equal(65535d, stats["infos/u16"].Max[0]);
        Assert.Equal(-128d, stats["infos/i8"].Min[0]);
        Assert.Equal(126d, stats["infos/i8"].Max[0]); // 127 - k at k = 1
    }

    [Fact]
    public void The_d4rl_writer_refuses_a_dataset_missing_a_required_key_and_says_which()
    {
        using var dir = new TempDir();
        var sample = D4rlHdf5RoundTripTestsAccess.Sample(30);
        foreach (string missing in D4rlKeys.Required)
        {
            var columns = sample.Columns.Where(c => c.Key != missing).ToDictionary(c => c.Key, c => c.Value);
            string path = dir.File($"no-{missing}.hdf5");
            var e = Assert.Throws<DatasetFormatException>(() => D4rlHdf5Writer.Write(path, new FlatDataset(columns, sample.Metadata)));
            Assert.Equal(missing, e.Key);
            Assert.Contains(path, e.Message);
            Assert.False(File.Exists(path));
        }

        // Every integer width writes and reads back through our own pair too.
        var extra = sample.WithColumn("infos/u64", new NdArray(DType.UInt64, [30], Enumerable.Range(0, 30).SelectMany(i => BitConverter.GetBytes(ulong.MaxValue - (ulong)i)).ToArray()))
            .WithColumn("infos/i8", new NdArray(DType.Int8, [30, 2], Enumerable.Range(0, 60).Select(i => (byte)(sbyte)(i - 30)).ToArray()));
        D4rlHdf5Writer.Write(dir.File("ok.hdf5"), extra);
        var back = D4rlHdf5Reader.Read(dir.File("ok.hdf5"));
        Assert.Equal(extra.Column("infos/u64").Data, back.Column("infos/u64").Data);
        Assert.Equal(extra.Column("infos/i8").Data, back.Column("infos/i8").Data);
        Assert.Equal(DType.Int8, back.Column("infos/i8").DType);
    }
}
