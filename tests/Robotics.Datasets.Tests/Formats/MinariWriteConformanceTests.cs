using System.Text.Json;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>
/// Our Minari folders are read by an independent Python port of minari 0.5.3's reader
/// (<see cref="MinariUpstreamReader"/>) and read back by us unchanged.
/// </summary>
public sealed class MinariWriteConformanceTests
{
    [Fact]
    public void Pointmaze_minari_to_minari_keeps_every_column_seed_reset_info_and_the_source_spaces()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Pointmaze);
        string folder = MinariDataset.Write(dir.Path, source, "robotics/pointmaze-umaze-v2");
        Assert.Equal(Path.Combine(dir.Path, "robotics", "pointmaze-umaze-v2"), folder);

        var back = MinariDataset.Read(folder);
        Assert.Equal(source.Columns.Keys.Order(StringComparer.Ordinal), back.Columns.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, array) in source.Columns)
        {
            Assert.Equal(array.DType, back.Column(key).DType);
            Assert.Equal(array.Shape, back.Column(key).Shape);
            Assert.Equal(array.Data, back.Column(key).Data);
        }

        foreach (string key in new[] { "infos/status", MinariKeys.EpisodeSeeds, MinariKeys.ResetInfosPrefix + "status" })
            Assert.Equal(source.Metadata[key].Strings, back.Metadata[key].Strings);
        Assert.Equal(source.Metadata[MinariKeys.ResetInfosPrefix + "goal/distance"].Array!.Data, back.Metadata[MinariKeys.ResetInfosPrefix + "goal/distance"].Array!.Data);

        var upstream = MinariUpstreamReader.Read(folder);
        Assert.Equal("robotics/pointmaze-umaze-v2", upstream.GetProperty("dataset_id").GetString());
        Assert.Equal(["Ada", "Grace"], upstream.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));
        Assert.False(upstream.GetProperty("jpeg_encoding").GetBoolean());
        Assert.Equal("0.5.3", upstream.GetProperty("minari_version").GetString());
        var episodes = upstream.GetProperty("episodes").EnumerateArray().ToArray();
        Assert.Equal(["18446744073709551611", "42", null], episodes.Select(e => e.GetProperty("seed").GetString()));
        Assert.Equal([4, 3, 5], episodes.Select(e => e.GetProperty("steps").GetInt32()));
        Assert.Equal(["goal/distance", "status", "success"], episodes[0].GetProperty("infos").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["achieved_goal", "desired_goal", "observation"], upstream.GetProperty("leaves").GetProperty("observations").EnumerateObject().Select(p => p.Name));

        var written = Meta(folder);
        var original = JsonDocument.Parse(source.Metadata[MinariKeys.Metadata].Text).RootElement;
        // The source spaces are reused verbatim (bounds included); what the source recorded is carried over.
        Assert.Equal(original.GetProperty("observation_space").GetString(), written.GetProperty("observation_space").GetString());
        Assert.Equal(original.GetProperty("env_spec").GetString(), written.GetProperty("env_spec").GetString());
        Assert.Equal(150.25, written.GetProperty("ref_max_score").GetDouble());
        Assert.Equal("QIteration", written.GetProperty("algorithm_name").GetString());
        Assert.False(written.TryGetProperty("reset_infos", out _)); // every reset row was known
    }

    [Fact]
    public void Nested_dict_tuple_text_and_int8_multibinary_are_written_back_nested_with_exact_dtypes()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Nested);
        string folder = MinariDataset.Write(dir.Path, source, "nested-v1");
        var upstream = MinariUpstreamReader.Read(folder);
        var leaves = upstream.GetProperty("leaves").GetProperty("observations");
        Assert.Equal(["agent/pos", "agent/vel", "mission", "sensors/_index_0", "sensors/_index_1"], leaves.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("int16", leaves.GetProperty("sensors/_index_0").GetProperty("dtype").GetString());
        Assert.Equal("int64", leaves.GetProperty("sensors/_index_1").GetProperty("dtype").GetString());
        Assert.Equal("str", leaves.GetProperty("mission").GetProperty("dtype").GetString());
        Assert.Equal("int8", upstream.GetProperty("leaves").GetProperty("actions").GetProperty("").GetProperty("dtype").GetString());
        var infos = upstream.GetProperty("episodes")[0].GetProperty("infos");
        Assert.Equal(["int16", "int8", "uint16", "uint32", "uint64"], new[] { "i16", "i8", "u16", "u32", "u64" }.Select(k => infos.GetProperty(k).GetString()));
        Assert.Equal(["7", "8"], upstream.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("seed").GetString()));

        var back = MinariDataset.Read(folder);
        foreach (var (key, array) in source.Columns)
        {
            Assert.Equal(array.DType, back.Column(key).DType);
            Assert.Equal(array.Data, back.Column(key).Data);
        }

        Assert.Equal(source.Metadata["obs/mission"].Strings, back.Metadata["obs/mission"].Strings);
        var space = Space(Meta(folder).GetProperty("observation_space").GetString()!);
        Assert.Equal("Dict", space.GetProperty("type").GetString());
        Assert.Equal("Tuple", space.GetProperty("subspaces").GetProperty("sensors").GetProperty("type").GetString());
        Assert.Equal("MultiBinary", Space(Meta(folder).GetProperty("action_space").GetString()!).GetProperty("type").GetString());
    }

    [Fact]
    public void D4rl_to_minari_writes_box_bounds_t_plus_one_infos_no_invented_seeds_and_an_author_list()
    {
        using var dir = new TempDir();
        var source = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_small.hdf5"));
        string folder = MinariDataset.Write(dir.Path, source, "d4rl-small-v0", new MinariWriteOptions { Authors = ["Ada"] });
        var upstream = MinariUpstreamReader.Read(folder);
        var episodes = upstream.GetProperty("episodes").EnumerateArray().ToArray();
        Assert.Equal(source.Episodes().Select(e => e.Length), episodes.Select(e => e.GetProperty("steps").GetInt32()));
        Assert.All(episodes, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("seed").ValueKind)); // unknown: no attribute, as upstream
        Assert.Equal(["camera", "goal", "instruction", "qpos", "step", "task_id"], episodes[0].GetProperty("infos").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["Ada"], upstream.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));

        var meta = Meta(folder);
        var box = Space(meta.GetProperty("observation_space").GetString()!);
        Assert.Equal("Box", box.GetProperty("type").GetString());
        Assert.Equal("float32", box.GetProperty("dtype").GetString());
        Assert.Equal(["-inf", "-inf", "-inf"], box.GetProperty("low").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("repeated", meta.GetProperty("final_observation").GetString());
        Assert.StartsWith("repeated", meta.GetProperty("reset_infos").GetString(), StringComparison.Ordinal);

        var back = MinariDataset.Read(folder);
        foreach (string key in new[] { "observations", "actions", "rewards", "infos/qpos", "infos/step", "infos/task_id", "infos/camera" })
            Assert.Equal(source.Column(key).Data, back.Column(key).Data);
        Assert.Equal(source.Metadata["infos/instruction"].Strings, back.Metadata["infos/instruction"].Strings);
    }

    [Fact]
    public void Decoded_jpeg_images_are_written_raw_with_jpeg_encoding_false_and_read_back_identically()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Jpeg);
        string folder = MinariDataset.Write(dir.Path, source, "images-v1");
        var upstream = MinariUpstreamReader.Read(folder);
        Assert.Equal([32, 32, 3], upstream.GetProperty("leaves").GetProperty("observations").GetProperty("rgb").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var back = MinariDataset.Read(folder);
        Assert.Equal(source.Column("obs/rgb").Data, back.Column("obs/rgb").Data);
        Assert.Equal(source.Column("next_obs/gray").Data, back.Column("next_obs/gray").Data);
        Assert.Equal(DType.Int64, back.Column("actions").DType);
    }

    [Fact]
    public void Minari_to_d4rl_to_minari_keeps_the_nested_space_seeds_string_and_reset_infos()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Pointmaze);
        string d4rl = dir.File("pointmaze.hdf5");
        D4rlHdf5Writer.Write(d4rl, source);
        var viaD4rl = D4rlHdf5Reader.Read(d4rl);
        string folder = MinariDataset.Write(dir.Path, viaD4rl, "pointmaze-umaze-v3");
        var upstream = MinariUpstreamReader.Read(folder);
        Assert.Equal(["18446744073709551611", "42", null], upstream.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("seed").GetString()));
        Assert.Equal(["achieved_goal", "desired_goal", "observation"], upstream.GetProperty("leaves").GetProperty("observations").EnumerateObject().Select(p => p.Name));
        var back = MinariDataset.Read(folder);
        foreach (var (key, array) in source.Columns)
            Assert.Equal(array.Data, back.Column(key).Data);
        Assert.Equal(source.Metadata["infos/status"].Strings, back.Metadata["infos/status"].Strings);
        Assert.Equal(source.Metadata[MinariKeys.ResetInfosPrefix + "status"].Strings, back.Metadata[MinariKeys.ResetInfosPrefix + "status"].Strings);
    }

    [Fact]
    public void Images_jpeg_encoded_on_request_are_decoded_by_pil_as_minari_0_5_3_does()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Jpeg);
        string folder = MinariDataset.Write(dir.Path, source, "images-v2", new MinariWriteOptions { JpegImages = true });
        var upstream = MinariUpstreamReader.Read(folder); // PIL decodes every frame, as HDF5Storage._decode_space
        Assert.True(upstream.GetProperty("jpeg_encoding").GetBoolean());
        var leaves = upstream.GetProperty("leaves").GetProperty("observations");
        Assert.Equal([32, 32, 3], leaves.GetProperty("rgb").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([32, 32], leaves.GetProperty("gray").GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        const string stored = """
import sys, os, h5py
f = h5py.File(os.path.join(sys.argv[1], 'data', 'main_data.hdf5'), 'r')
print(' '.join(str(f[f'episode_{i}/observations/rgb'].dtype) + ':' + bytes(f[f'episode_{i}/observations/rgb'][0][:3]).hex() for i in range(2)))
""";
        // JPEG streams on disk (variable-length or fixed rows), never raw pixels.
        Assert.All(PythonReference.Run(stored, folder).Trim().Split(' '), s => Assert.EndsWith(":ffd8ff", s, StringComparison.Ordinal));

        var back = MinariDataset.Read(folder);
        foreach (string key in new[] { "obs/rgb", "obs/gray", "next_obs/rgb" })
        {
            var a = source.Column(key).Data;
            var b = back.Column(key).Data;
            Assert.Equal(a.Length, b.Length);
            double meanError = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
            Assert.InRange(meanError, 0, 6); // lossy, quality 75
        }
    }

    [Fact]
    public void Dict_actions_from_act_columns_are_written_as_a_group_and_read_back_with_their_flat_vector()
    {
        using var dir = new TempDir();
        const int n = 6;
        var columns = new Dictionary<string, Robotics.Core.Arrays.NdArray>
        {
            ["observations"] = Robotics.Core.Arrays.NdArray.FromFloats(Enumerable.Range(0, 2 * n).Select(i => (float)i).ToArray(), n, 2),
            ["act/arm"] = Robotics.Core.Arrays.NdArray.FromFloats(Enumerable.Range(0, 3 * n).Select(i => i * 0.5f).ToArray(), n, 3),
            ["act/gripper"] = new(DType.Int8, [n], Enumerable.Range(0, n).Select(i => (byte)(i % 2)).ToArray()),
            ["rewards"] = Robotics.Core.Arrays.NdArray.FromFloats(new float[n], n),
            ["terminals"] = new(DType.Bool, [n], [0, 0, 1, 0, 0, 1]),
        };
        string folder = MinariDataset.Write(dir.Path, new FlatDataset(columns), "dict-actions-v0");
        var upstream = MinariUpstreamReader.Read(folder);
        var actions = upstream.GetProperty("leaves").GetProperty("actions");
        Assert.Equal("float32", actions.GetProperty("arm").GetProperty("dtype").GetString());
        Assert.Equal("int8", actions.GetProperty("gripper").GetProperty("dtype").GetString());
        var back = MinariDataset.Read(folder);
        Assert.Equal(columns["act/arm"].Data, back.Column("act/arm").Data);
        Assert.Equal(columns["act/gripper"].Data, back.Column("act/gripper").Data);
        Assert.Equal([n, 4], back.Column("actions").Shape); // arm (3) + gripper (1), as float64 (mixed dtypes)
        Assert.Equal([1.5, 2.0, 2.5, 1.0], back.Column("actions").AsSpan<double>().Slice(4, 4).ToArray());
        Assert.Equal([3, 3], back.Episodes().Select(e => e.Length));
    }

    [Fact]
    public void Ids_that_minari_cannot_load_are_refused()
    {
        using var dir = new TempDir();
        var source = MinariDataset.Read(MinariReadConformanceTests.Pointmaze);
        Assert.Throws<ArgumentException>(() => MinariDataset.Write(dir.Path, source, "no-version"));
        Assert.Throws<ArgumentException>(() => MinariDataset.Write(dir.Path, source, "bad id-v0"));
        var e = Assert.Throws<ArgumentException>(() => MinariDataset.WriteFolder(dir.File("out"), source));
        Assert.Contains("name-vN", e.Message);
        Assert.Equal(new MinariDatasetId("a/b", "c-d", 12), MinariDatasetId.Parse("a/b/c-d-v12"));
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_dataset_without_rewards_is_refused_naming_the_key()
    {
        using var dir = new TempDir();
        var source = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_small.hdf5"));
        var columns = source.Columns.Where(c => c.Key != "rewards");
        var e = Assert.Throws<DatasetFormatException>(() => MinariDataset.Write(dir.Path, new FlatDataset(columns, source.Metadata), "x-v0"));
        Assert.Equal("rewards", e.Key);
    }

    /// <summary>A serialised space, its bare ±Infinity bounds (Python's json) turned into the strings "-inf" / "inf".</summary>
    private static JsonElement Space(string text) => JsonDocument.Parse(text.Replace("-Infinity", "\"-inf\"", StringComparison.Ordinal)
        .Replace("Infinity", "\"inf\"", StringComparison.Ordinal)).RootElement.Clone();

    // Non-finite bounds appear only inside the serialised space strings, so the file itself is strict JSON.
    private static JsonElement Meta(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "data", "metadata.json"))).RootElement.Clone();
}
