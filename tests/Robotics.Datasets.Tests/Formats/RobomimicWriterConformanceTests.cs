using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Transforms;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>
/// Our robomimic files checked by h5py code that reads them as robomimic's loader does
/// (tools/python/check_robomimic_file.py): masks resolve to existing demos, env_args has what
/// robomimic reads, action keys are 2-D, per-demo attributes survive.
/// </summary>
public sealed class RobomimicWriterConformanceTests
{
    private const string DoneMode2 = "robomimic_done_mode2.hdf5";

    [Fact]
    public void Round_trip_loads_in_robomimic_exactly_as_the_source_does()
    {
        using var dir = new TempDir();
        string path = dir.File("out.hdf5");
        RobomimicDataset.Write(path, RobomimicDataset.Read(Fixtures.Path(DoneMode2)));

        var source = RobomimicLoaderCheck.Run(Fixtures.Path(DoneMode2));
        var written = RobomimicLoaderCheck.Run(path);
        // demo names, masks, env_meta, every array robomimic loads (dtype, shape, bytes), model_file and ep_meta
        Assert.Equal(source.GetRawText(), written.GetRawText());
        Assert.Equal(4, written.GetProperty("demos").GetArrayLength());
        Assert.Equal(4, written.GetProperty("per_demo").EnumerateObject().Count(d => d.Value.TryGetProperty("model_file", out _)));
    }

    [Fact]
    public void Split_parts_keep_demo_names_and_masks_never_name_the_other_part()
    {
        using var dir = new TempDir();
        var ds = RobomimicDataset.Read(Fixtures.Path(DoneMode2));
        var (train, valid, _, _) = EpisodeSplit.Split(ds, 0.5, seed: 3);
        RobomimicDataset.Write(dir.File("train.hdf5"), train);
        RobomimicDataset.Write(dir.File("valid.hdf5"), valid);

        var source = RobomimicLoaderCheck.Run(Fixtures.Path(DoneMode2));
        var parts = new[] { RobomimicLoaderCheck.Run(dir.File("train.hdf5")), RobomimicLoaderCheck.Run(dir.File("valid.hdf5")) };
        var demos = parts.Select(p => p.GetProperty("demos").EnumerateArray().Select(d => d.GetString()!).ToHashSet()).ToArray();
        Assert.Empty(demos[0].Intersect(demos[1]));
        Assert.Equal(source.GetProperty("demos").EnumerateArray().Select(d => d.GetString()!).Order(), demos[0].Concat(demos[1]).Order());
        for (int p = 0; p < 2; p++)
        {
            foreach (var mask in parts[p].GetProperty("masks").EnumerateObject())
            {
                var names = mask.Value.EnumerateArray().Select(d => d.GetString()!).ToList();
                Assert.NotEmpty(names);
                Assert.All(names, n => Assert.Contains(n, demos[p])); // the checker also asserts it, as robomimic would
                // the same demos as the source's mask, restricted to this part
                var expected = source.GetProperty("masks").GetProperty(mask.Name).EnumerateArray().Select(d => d.GetString()!).Where(demos[p].Contains);
                Assert.Equal(expected, names);
            }

            // each written demo is byte-identical (as robomimic loads it) to the source demo of that name
            foreach (string demo in demos[p])
                Assert.Equal(source.GetProperty("per_demo").GetProperty(demo).GetRawText(), parts[p].GetProperty("per_demo").GetProperty(demo).GetRawText());
        }
    }

    [Fact]
    public void Repeated_episode_ids_are_renumbered_and_masks_follow_their_demos()
    {
        // episode id 5 occurs in two separate runs, so names cannot keep ids; masks must follow.
        long[] ids = [5, 5, 5, 7, 7, 5, 5, 9];
        var ds = Flat(ids.Length, ids)
            .WithMetadata(RobomimicKeys.MaskPrefix + "train", MetadataValue.FromStrings(["demo_5", "demo_9"]))
            .WithMetadata(RobomimicKeys.MaskPrefix + "valid", MetadataValue.FromStrings(["demo_7"]))
            .WithMetadata(RobomimicKeys.MaskPrefix + "gone", MetadataValue.FromStrings(["demo_12"]))
            .WithMetadata(RobomimicKeys.EpisodeAttr(7, "model_file"), MetadataValue.FromText("<mujoco model=\"seven\"/>"));
        using var dir = new TempDir();
        string path = dir.File("renamed.hdf5");
        RobomimicDataset.Write(path, ds);

        var seen = RobomimicLoaderCheck.Run(path);
        Assert.Equal(["demo_0", "demo_1", "demo_2", "demo_3"], seen.GetProperty("demos").EnumerateArray().Select(d => d.GetString()!));
        var masks = seen.GetProperty("masks");
        Assert.Equal(["demo_0", "demo_2", "demo_3"], masks.GetProperty("train").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal(["demo_1"], masks.GetProperty("valid").EnumerateArray().Select(d => d.GetString()!));
        Assert.False(masks.TryGetProperty("gone", out _), "a mask naming only absent demos is not written");
        Assert.Equal("<mujoco model=\"seven\"/>", seen.GetProperty("per_demo").GetProperty("demo_1").GetProperty("model_file").GetString());
        // the rows of each written demo are the rows of its run: actions[:, 0] = row number
        Assert.Equal([3, 2, 2, 1], seen.GetProperty("per_demo").EnumerateObject().Select(d => d.Value.GetProperty("num_samples").GetInt32()));
        var back = RobomimicDataset.Read(path);
        Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => (double)i), back.Column("actions").AsSpan<double>().ToArray().Where((_, i) => i % 2 == 0));
    }

    [Fact]
    public void Conversion_without_robomimic_metadata_gets_a_loadable_env_args_and_2d_actions()
    {
        // as from D4RL: 1-D actions, no env_args, no episode index, a stale mask that cannot be resolved
        int n = 9;
        var actions = new NdArray(DType.Float32, [n], MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(i => i * 0.5f).ToArray().AsSpan()).ToArray());
        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            [D4rlKeys.Observations] = NdArray.FromFloats(Enumerable.Range(0, n * 2).Select(i => (float)i).ToArray(), n, 2),
            [D4rlKeys.Actions] = actions,
            [D4rlKeys.Rewards] = NdArray.FromFloats(new float[n], n),
            [D4rlKeys.Terminals] = Bools(n, 3),
            [D4rlKeys.Timeouts] = Bools(n, 8),
        }, new Dictionary<string, MetadataValue>
        {
            [RobomimicKeys.MaskPrefix + "train"] = MetadataValue.FromStrings(["demo_0"]),
            ["metadata/algorithm"] = MetadataValue.FromText("scripted"),
        });
        using var dir = new TempDir();
        string path = dir.File("from_d4rl.hdf5");
        RobomimicDataset.Write(path, ds);

        var seen = RobomimicLoaderCheck.Run(path);
        var env = seen.GetProperty("env_meta");
        Assert.Equal(2, env.GetProperty("type").GetInt32()); // EnvType.GYM_TYPE, as robomimic's convert_d4rl.py
        Assert.Equal(JsonValueKind.Object, env.GetProperty("env_kwargs").ValueKind);
        Assert.Equal(JsonValueKind.String, env.GetProperty("env_name").ValueKind);
        Assert.Equal(1, seen.GetProperty("ac_dim").GetInt32());
        Assert.Equal([4, 5], seen.GetProperty("per_demo").EnumerateObject().Select(d => d.Value.GetProperty("actions").GetProperty("shape")[0].GetInt32()));
        Assert.All(seen.GetProperty("per_demo").EnumerateObject(), d => Assert.Equal(1, d.Value.GetProperty("actions").GetProperty("shape")[1].GetInt32()));
        Assert.Empty(seen.GetProperty("masks").EnumerateObject()); // no ids: no way to know which demo "demo_0" meant
        var back = RobomimicDataset.Read(path);
        Assert.Equal("scripted", back.Metadata["metadata/algorithm"].Text); // kept in our top-level metadata group
        // dones: the terminal at row 3, and the time-limit end at row 8 marked done as robomimic's convert_d4rl.py does
        Assert.Equal([0L, 0, 0, 1, 0, 0, 0, 0, 1], back.Column("infos/dones").AsSpan<long>().ToArray());
    }

    [Fact]
    public void An_incomplete_env_args_keeps_its_keys_and_gets_the_missing_ones()
    {
        // "{}" is what the old writer put there (KeyError 'env_kwargs' in robomimic); the env name comes from Minari's env_spec
        var minari = """{"dataset_id": "pointmaze/umaze-v2", "env_spec": "{\"id\": \"PointMaze_UMaze-v3\", \"max_episode_steps\": 300}"}""";
        var ds = Flat(4, [0, 0, 1, 1]).WithMetadata(RobomimicKeys.EnvArgs, MetadataValue.FromText("{}")).WithMetadata("metadata/minari", MetadataValue.FromText(minari));
        using var dir = new TempDir();
        RobomimicDataset.Write(dir.File("a.hdf5"), ds);
        var env = RobomimicLoaderCheck.Run(dir.File("a.hdf5")).GetProperty("env_meta");
        Assert.Equal("PointMaze_UMaze-v3", env.GetProperty("env_name").GetString());
        Assert.Equal(2, env.GetProperty("type").GetInt32());
        Assert.Empty(env.GetProperty("env_kwargs").EnumerateObject());

        var partial = ds.WithMetadata(RobomimicKeys.EnvArgs, MetadataValue.FromText("""{"env_name": "Lift", "type": 1, "env_version": "1.4.1"}"""));
        RobomimicDataset.Write(dir.File("b.hdf5"), partial);
        env = RobomimicLoaderCheck.Run(dir.File("b.hdf5")).GetProperty("env_meta");
        Assert.Equal("Lift", env.GetProperty("env_name").GetString());
        Assert.Equal(1, env.GetProperty("type").GetInt32());
        Assert.Equal("1.4.1", env.GetProperty("env_version").GetString());
        Assert.Equal(JsonValueKind.Object, env.GetProperty("env_kwargs").ValueKind);
    }

    [Fact]
    public void A_dataset_without_rewards_is_refused_naming_file_and_key_and_nothing_is_written()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path("robomimic_no_rewards.hdf5"));
        using var dir = new TempDir();
        string path = dir.File("refused.hdf5");
        var e = Assert.Throws<MissingColumnException>(() => RobomimicDataset.Write(path, ds));
        Assert.Contains(path, e.Message);
        Assert.Contains("'rewards'", e.Message);
        Assert.Equal(["rewards"], e.Missing);
        Assert.False(File.Exists(path));

        var filled = RewardFill.Apply(ds, 0f);
        RobomimicDataset.Write(path, filled);
        var back = RobomimicDataset.Read(path);
        Assert.Equal(new float[ds.RowCount], back.Column("rewards").ToFloats());
        Assert.Equal(0f, back.Metadata[RewardFill.FilledRewardsKey].Array!.ToFloats()[0]);
    }

    private static NdArray Bools(int n, params int[] set) => new(DType.Bool, [n], Enumerable.Range(0, n).Select(i => set.Contains(i) ? (byte)1 : (byte)0).ToArray());

    /// <summary>n rows; actions[i] = (i, -i) as float64; episode ids as given; terminal on each run's last row.</summary>
    private static FlatDataset Flat(int n, long[] ids)
    {
        var last = Enumerable.Range(0, n).Where(i => i == n - 1 || ids[i + 1] != ids[i]).ToArray();
        return new FlatDataset(new Dictionary<string, NdArray>
        {
            [D4rlKeys.Observations] = NdArray.FromFloats(Enumerable.Range(0, n * 2).Select(i => (float)i).ToArray(), n, 2),
            [D4rlKeys.Actions] = new(DType.Float64, [n, 2], MemoryMarshal.AsBytes(Enumerable.Range(0, n).SelectMany(i => new double[] { i, -i }).ToArray().AsSpan()).ToArray()),
            [D4rlKeys.Rewards] = NdArray.FromFloats(new float[n], n),
            [D4rlKeys.Terminals] = Bools(n, last),
            [D4rlKeys.EpisodeIndex] = new(DType.Int64, [n], MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()),
        });
    }
}
