using PureHDF;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>
/// Folders laid out as minari 0.5.3 writes them (tools/python/make_minari_fixtures.py, h5py + PIL)
/// read exactly; values are recomputed from the script's formulas.
/// </summary>
public sealed class MinariReadConformanceTests
{
    private static readonly int[] PointmazeLengths = [4, 3, 5];

    public static string Pointmaze => Fixtures.Path(Path.Combine("minari_pointmaze", "test", "pointmaze-umaze-v1"));

    public static string Nested => Fixtures.Path(Path.Combine("minari_nested", "nested-v0"));

    public static string Jpeg => Fixtures.Path(Path.Combine("minari_jpeg", "images-v0"));

    [Fact]
    public void Pointmaze_dict_observations_are_named_leaves_plus_their_flattened_vector()
    {
        var ds = MinariDataset.Read(Pointmaze);
        Assert.Equal(12, ds.RowCount);
        Assert.Equal([4, 3, 5], ds.Episodes().Select(e => e.Length));
        var observation = ds.Column("obs/observation");
        Assert.Equal(DType.Float64, observation.DType); // kept as stored, no float32 funnel
        Assert.Equal([12, 4], observation.Shape);
        var obs = observation.AsSpan<double>();
        var next = ds.Column("next_obs/observation").AsSpan<double>();
        var achieved = ds.Column("obs/achieved_goal").AsSpan<double>();
        var desired = ds.Column("obs/desired_goal").AsSpan<double>();
        var flat = ds.Column("observations");
        Assert.Equal(DType.Float64, flat.DType);
        Assert.Equal([12, 8], flat.Shape);
        var flatValues = flat.AsSpan<double>();
        var success = ds.Flags("infos/success");
        var distance = ds.Column("infos/goal/distance");
        Assert.Equal(DType.Float32, distance.DType);
        var status = ds.Metadata["infos/status"].Strings!;
        int row = 0;
        for (int e = 0; e < 3; e++)
        {
            int t = PointmazeLengths[e];
            for (int i = 0; i < t; i++, row++)
            {
                Assert.Equal([i, -i, 0.5 * i, e], obs.Slice(row * 4, 4).ToArray());
                Assert.Equal([i + 1, -(i + 1), 0.5 * (i + 1), e], next.Slice(row * 4, 4).ToArray());
                Assert.Equal([i, -i], achieved.Slice(row * 2, 2).ToArray());
                Assert.Equal([3.0 + e, -3], desired.Slice(row * 2, 2).ToArray());
                // Space order of metadata.json (gymnasium sorts Dict keys): achieved_goal, desired_goal, observation.
                Assert.Equal([i, -i, 3.0 + e, -3, i, -i, 0.5 * i, e], flatValues.Slice(row * 8, 8).ToArray());
                // Infos of T + 1 rows: row t of the flat layout is the info returned by step t (reset row kept apart).
                Assert.Equal(e == 0 && i + 1 == t, success[row]);
                Assert.Equal(10f * e + i + 1, distance.AsSpan<float>()[row]);
                Assert.Equal($"ep{e} step{i}", status[row]);
            }
        }

        Assert.Equal([3], ds.Flags("terminals").Select((f, i) => (f, i)).Where(x => x.f).Select(x => x.i));
        Assert.Equal([6, 11], ds.Flags("timeouts").Select((f, i) => (f, i)).Where(x => x.f).Select(x => x.i));
        Assert.Equal(["18446744073709551611", "42", ""], ds.Metadata[MinariKeys.EpisodeSeeds].Strings); // uint64 seed above 2^63 kept exactly; none recorded for episode 2
        Assert.Equal(["ep0 reset", "ep1 reset", "ep2 reset"], ds.Metadata[MinariKeys.ResetInfosPrefix + "status"].Strings);
        Assert.Equal([0f, 10, 20], ds.Metadata[MinariKeys.ResetInfosPrefix + "goal/distance"].Array!.AsSpan<float>().ToArray());
        Assert.Equal([0L, 1, 2], ds.Metadata[MinariKeys.EpisodeIds].Array!.AsSpan<long>().ToArray());
        Assert.False(ds.Metadata.ContainsKey(MinariKeys.Skipped));
    }

    [Fact]
    public void Nested_dict_tuple_text_leaves_multibinary_int8_actions_and_every_integer_width_read_exactly()
    {
        var ds = MinariDataset.Read(Nested);
        int[] lengths = [3, 2];
        Assert.Equal(5, ds.RowCount);
        Assert.Equal(DType.Int8, ds.Column("actions").DType); // MultiBinary is int8 upstream
        Assert.Equal([5, 4], ds.Column("actions").Shape);
        Assert.Equal(DType.Int16, ds.Column("obs/sensors/_index_0").DType);
        Assert.Equal(DType.Int64, ds.Column("obs/sensors/_index_1").DType);
        Assert.Equal([5], ds.Column("obs/sensors/_index_1").Shape);
        var mission = ds.Metadata["obs/mission"].Strings!;
        var flat = ds.Column("observations");
        Assert.Equal(DType.Float64, flat.DType); // float32 + int16 + int64 leaves: float64 holds every value exactly
        Assert.Equal([5, 8], flat.Shape);
        int row = 0;
        for (int e = 0; e < 2; e++)
        {
            for (int i = 0; i < lengths[e]; i++, row++)
            {
                Assert.Equal([(float)i, 2 * i, e], ds.Column("obs/agent/pos").AsSpan<float>().Slice(row * 3, 3).ToArray());
                Assert.Equal([(float)(i + 1), 2 * (i + 1), e], ds.Column("next_obs/agent/pos").AsSpan<float>().Slice(row * 3, 3).ToArray());
                Assert.Equal([(float)-i, 0.5f], ds.Column("obs/agent/vel").AsSpan<float>().Slice(row * 2, 2).ToArray());
                Assert.Equal([(short)i, (short)-i], ds.Column("obs/sensors/_index_0").AsSpan<short>().Slice(row * 2, 2).ToArray());
                Assert.Equal((i + e) % 5, ds.Column("obs/sensors/_index_1").AsSpan<long>()[row]);
                Assert.Equal((i + 1 + e) % 5, ds.Column("next_obs/sensors/_index_1").AsSpan<long>()[row]);
                Assert.Equal($"go to box {e}", mission[row]);
                Assert.Equal(Enumerable.Range(0, 4).Select(j => (sbyte)((i + j + e) % 2)), ds.Column("actions").AsSpan<sbyte>().Slice(row * 4, 4).ToArray());
                // Order: agent/pos, agent/vel, (mission is text), sensors/_index_0, sensors/_index_1.
                Assert.Equal([i, 2 * i, e, -i, 0.5, i, -i, (i + e) % 5], flat.AsSpan<double>().Slice(row * 8, 8).ToArray());
                int k = i + 1; // step rows of infos
                Assert.Equal((sbyte)(-100 + k + e), ds.Column("infos/i8").AsSpan<sbyte>()[row]);
                Assert.Equal((short)(-30000 + k), ds.Column("infos/i16").AsSpan<short>()[row]);
                Assert.Equal((ushort)(65000 + k), ds.Column("infos/u16").AsSpan<ushort>()[row]);
                Assert.Equal(4_000_000_000u + (uint)k, ds.Column("infos/u32").AsSpan<uint>()[row]);
                Assert.Equal((1UL << 63) + 1000UL * (ulong)e + (ulong)k, ds.Column("infos/u64").AsSpan<ulong>()[row]);
            }
        }

        Assert.Equal([DType.Int8, DType.Int16, DType.UInt16, DType.UInt32, DType.UInt64], new[] { "i8", "i16", "u16", "u32", "u64" }.Select(k => ds.Column("infos/" + k).DType));
        // The scalar info has no row axis: it is listed, not dropped silently.
        Assert.Contains(ds.Metadata[MinariKeys.Skipped].Strings!, s => s.Contains("episode_0/infos/level", StringComparison.Ordinal));
        Assert.Equal(["7", "8"], ds.Metadata[MinariKeys.EpisodeSeeds].Strings);
    }

    [Fact]
    public void Jpeg_frames_decode_to_the_pixels_PIL_gives_whether_stored_variable_or_fixed_length()
    {
        var ds = MinariDataset.Read(Jpeg);
        int[] lengths = [3, 2];
        Assert.Equal([5, 32, 32, 3], ds.Column("obs/rgb").Shape);
        Assert.Equal([5, 32, 32], ds.Column("obs/gray").Shape);
        Assert.False(ds.HasColumn("observations")); // images are not flattened into a vector
        using var reference = H5File.OpenRead(Path.Combine(Jpeg, "pil_decoded.hdf5"));
        foreach (string key in new[] { "rgb", "gray" })
        {
            var ours = ds.Column("obs/" + key).Data;
            var oursNext = ds.Column("next_obs/" + key).Data;
            int frame = ours.Length / 5;
            long offset = 0;
            for (int e = 0; e < 2; e++)
            {
                byte[] pil = reference.Dataset($"episode_{e}/{key}").Read<byte[]>();
                Assert.Equal((lengths[e] + 1) * frame, pil.Length);
                Assert.Equal(pil[..(lengths[e] * frame)], ours.AsSpan((int)offset, lengths[e] * frame).ToArray());
                Assert.Equal(pil[frame..], oursNext.AsSpan((int)offset, lengths[e] * frame).ToArray());
                offset += lengths[e] * frame;
            }
        }
    }

    [Fact]
    public void A_group_where_metadata_says_box_names_the_file_and_key()
    {
        using var dir = new TempDir();
        WriteMinari(dir.Path, """
g['observations/position'] = np.zeros((3, 2), np.float32)
""", obsSpace: "{'type': 'Box', 'dtype': 'float32', 'shape': [2], 'low': [-1, -1], 'high': [1, 1]}");
        var e = Assert.Throws<DatasetFormatException>(() => MinariDataset.Read(dir.Path));
        Assert.Contains("main_data.hdf5", e.Message);
        Assert.Contains("episode_0/observations", e.Message);
    }

    [Fact]
    public void A_missing_dict_key_and_a_broken_jpeg_row_are_named()
    {
        using var dir = new TempDir();
        WriteMinari(dir.Path, """
g['observations/achieved_goal'] = np.zeros((3, 2))
""", obsSpace: "{'type': 'Dict', 'subspaces': {'achieved_goal': {'type': 'Box', 'dtype': 'float64', 'shape': [2], 'low': [0, 0], 'high': [1, 1]}, 'desired_goal': {'type': 'Box', 'dtype': 'float64', 'shape': [2], 'low': [0, 0], 'high': [1, 1]}}}");
        var missing = Assert.Throws<DatasetFormatException>(() => MinariDataset.Read(dir.Path));
        Assert.Contains("episode_0/observations/desired_goal", missing.Message);

        using var jpegDir = new TempDir();
        WriteMinari(jpegDir.Path, """
import io
from PIL import Image
def enc(v):
    b = io.BytesIO(); Image.fromarray(np.full((32, 32, 3), v, np.uint8)).save(b, format='JPEG'); return np.frombuffer(b.getvalue(), np.uint8)
frames = [enc(10), enc(200)[:40], enc(30)]
g.create_dataset('observations', data=frames, dtype=h5py.vlen_dtype(np.uint8))
""", obsSpace: "{'type': 'Box', 'dtype': 'uint8', 'shape': [32, 32, 3], 'low': 0, 'high': 255}");
        var broken = Assert.Throws<DatasetFormatException>(() => MinariDataset.Read(jpegDir.Path));
        Assert.Contains("episode_0/observations", broken.Message);
        Assert.Contains("row 1", broken.Message);
    }

    [Fact]
    public void Variable_length_frames_when_metadata_says_jpeg_encoding_false_are_refused_by_key()
    {
        using var dir = new TempDir();
        WriteMinari(dir.Path, """
g.create_dataset('observations', data=[np.arange(5, dtype=np.uint8), np.arange(3, dtype=np.uint8), np.arange(4, dtype=np.uint8)], dtype=h5py.vlen_dtype(np.uint8))
""", obsSpace: "{'type': 'Box', 'dtype': 'uint8', 'shape': [32, 32, 3], 'low': 0, 'high': 255}", extra: "'jpeg_encoding': False");
        var e = Assert.Throws<DatasetFormatException>(() => MinariDataset.Read(dir.Path));
        Assert.Contains("episode_0/observations", e.Message);
        Assert.Contains("jpeg_encoding", e.Message);
    }

    /// <summary>A one-episode Minari folder (T = 2) whose observations are written by <paramref name="observations"/> (group g).</summary>
    private static void WriteMinari(string folder, string observations, string obsSpace, string extra = "")
    {
        PythonReference.Run($$"""
import sys, os, json, h5py, numpy as np
data = os.path.join(sys.argv[1], 'data'); os.makedirs(data)
with h5py.File(os.path.join(data, 'main_data.hdf5'), 'w') as f:
    g = f.create_group('episode_0')
    g.attrs['id'] = 0; g.attrs['total_steps'] = 2
{{string.Join("\n", observations.Trim().Split('\n').Select(l => "    " + l))}}
    g['actions'] = np.zeros((2, 1), np.float32)
    g['rewards'] = np.zeros(2)
    g['terminations'] = np.array([False, True])
    g['truncations'] = np.zeros(2, bool)
meta = {'dataset_id': 'bad-v0', 'total_episodes': 1, 'total_steps': 2, 'data_format': 'hdf5', 'minari_version': '0.5.3',
        'observation_space': json.dumps({{obsSpace}}),
        'action_space': json.dumps({'type': 'Box', 'dtype': 'float32', 'shape': [1], 'low': [-1], 'high': [1]}), {{extra}}}
json.dump(meta, open(os.path.join(data, 'metadata.json'), 'w'))
""", folder);
    }
}
