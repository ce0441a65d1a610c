using System.Text.Json;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Validation;

namespace Robotics.Datasets.Tests.Formats;

/// <summary>
/// Reading a robomimic file laid out as robomimic's dataset_states_to_obs.py writes released
/// datasets (done mode 2, actions_abs, action_dict, model_file / ep_meta attributes, byte-string
/// masks), made by tools/python/make_episode_fixtures.py with h5py. Expected values come from
/// h5py reading the same file, not from constants.
/// </summary>
public sealed class RobomimicDoneModeTests
{
    private const string Fixture = "robomimic_done_mode2.hdf5";

    /// <summary>h5py's view of the fixture: per demo in numeric order, (id, length, dones).</summary>
    private static List<(long Id, int Length, long[] Dones)> Reference()
    {
        string json = PythonReference.Run("""
import sys, json, h5py
f = h5py.File(sys.argv[1], 'r')
demos = sorted(f['data'].keys(), key=lambda d: int(d[5:]))
print(json.dumps([[int(d[5:]), int(f['data'][d].attrs['num_samples']), [int(x) for x in f['data'][d]['dones'][()]]] for d in demos]))
""", Fixtures.Path(Fixture));
        return JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(d => (d[0].GetInt64(), d[1].GetInt32(), d[2].EnumerateArray().Select(x => x.GetInt64()).ToArray())).ToList();
    }

    [Fact]
    public void Every_demo_is_one_episode_although_dones_are_set_inside_it()
    {
        var reference = Reference();
        var ds = RobomimicDataset.Read(Fixtures.Path(Fixture));
        var episodes = ds.Episodes();

        Assert.Equal(4, reference.Count);
        Assert.True(reference.Sum(r => r.Dones.Count(d => d != 0)) > 10, "the fixture must have more dones than demos");
        Assert.Equal(reference.Select(r => r.Length), episodes.Select(e => e.Length));
        Assert.Equal(reference.Select(r => (long?)r.Id), episodes.Select(e => e.Id));
        // the splitter a terminals-only reader would use finds many more "episodes": the old bug
        Assert.True(EpisodeSplitter.Split(ds.Flags(D4rlKeys.Terminals), null).Count > reference.Count);

        // dones kept as infos with their dtype; terminals = dones row by row; a demo ends done here, so no timeouts
        Assert.Equal(DType.Int64, ds.Column("infos/dones").DType);
        var dones = reference.SelectMany(r => r.Dones).ToArray();
        Assert.Equal(dones, ds.Column("infos/dones").AsSpan<long>().ToArray());
        Assert.Equal(dones.Select(d => d != 0), ds.Flags(D4rlKeys.Terminals));
        Assert.All(episodes, e => Assert.True(e.Terminated));
        Assert.DoesNotContain(true, ds.Flags(D4rlKeys.Timeouts));
    }

    [Fact]
    public void Action_dict_actions_abs_attributes_masks_and_images_are_kept()
    {
        string json = PythonReference.Run("""
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
demos = sorted(f['data'].keys(), key=lambda d: int(d[5:]))
cat = lambda k: np.concatenate([f['data'][d][k][()] for d in demos])
out = {
  'abs_pos': cat('action_dict/abs_pos').ravel().tolist(),
  'gripper_shape': list(cat('action_dict/gripper').shape),
  'actions_abs': cat('actions_abs').ravel().tolist(),
  'image_sum': int(cat('obs/agentview_image').astype(np.int64).sum()),
  'model_file': {d[5:]: f['data'][d].attrs['model_file'] for d in demos},
  'ep_meta': {d[5:]: f['data'][d].attrs['ep_meta'] for d in demos},
  'masks': {k: [x.decode('utf-8') for x in np.array(f['mask'][k][:])] for k in f['mask']},
  'env_args': f['data'].attrs['env_args'],
}
print(json.dumps(out))
""", Fixtures.Path(Fixture));
        var r = JsonDocument.Parse(json).RootElement;
        var ds = RobomimicDataset.Read(Fixtures.Path(Fixture));

        Assert.Equal(r.GetProperty("abs_pos").EnumerateArray().Select(x => x.GetDouble()), ds.Column("action_dict/abs_pos").AsSpan<double>().ToArray());
        Assert.Equal(r.GetProperty("gripper_shape").EnumerateArray().Select(x => x.GetInt32()), ds.Column("action_dict/gripper").Shape);
        Assert.Equal(r.GetProperty("actions_abs").EnumerateArray().Select(x => x.GetDouble()), ds.Column("actions_abs").AsSpan<double>().ToArray());
        Assert.Equal(DType.UInt8, ds.Column("obs/agentview_image").DType);
        Assert.Equal(r.GetProperty("image_sum").GetInt64(), ds.Column("obs/agentview_image").Data.Sum(b => (long)b));
        foreach (var attr in new[] { "model_file", "ep_meta" })
        {
            foreach (var demo in r.GetProperty(attr).EnumerateObject())
                Assert.Equal(demo.Value.GetString(), ds.Metadata[RobomimicKeys.EpisodeAttr(long.Parse(demo.Name), attr)].Text);
        }

        foreach (var mask in r.GetProperty("masks").EnumerateObject())
            Assert.Equal(mask.Value.EnumerateArray().Select(x => x.GetString()!), ds.Metadata[RobomimicKeys.MaskPrefix + mask.Name].Strings);
        Assert.Equal(r.GetProperty("env_args").GetString(), ds.Metadata[RobomimicKeys.EnvArgs].Text);
        Assert.False(ds.Metadata.ContainsKey(RobomimicKeys.Skipped), "every dataset of the fixture has a place in the flat layout");
    }

    [Fact]
    public void Validator_accepts_success_dones_inside_a_demo_as_warnings_and_counts_demos()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path(Fixture));
        var report = DatasetValidator.Validate(new FlatDatasetSource(ds, Fixture));
        Assert.DoesNotContain(report.Issues, i => i.Severity == ValidationSeverity.Error);
        Assert.Contains(report.Issues, i => i.Severity == ValidationSeverity.Warning && i.Key == D4rlKeys.EpisodeIndex && i.Message.Contains("terminal inside"));
        Assert.Equal(4, report.Episodes);
    }

    [Fact]
    public void Converted_to_d4rl_the_demos_stay_whole_for_every_reader_of_ours()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path(Fixture));
        using var dir = new TempDir();
        string path = dir.File("d4rl.hdf5");
        new D4rlFormat().Write(path, ds);
        var back = D4rlHdf5Reader.Read(path);
        Assert.Equal(ds.Episodes(), back.Episodes());
        using var streamed = Hdf5TrajectoryFile.Open(path);
        Assert.Equal(ds.Episodes(), streamed.Episodes());
        Assert.Equal(Reference().Select(r => r.Length), streamed.Episodes().Select(e => e.Length));
    }

    [Fact]
    public void A_file_without_rewards_reads_without_a_rewards_column()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path("robomimic_no_rewards.hdf5"));
        Assert.False(ds.HasColumn(D4rlKeys.Rewards));
        Assert.Equal(2, ds.Episodes().Count);
    }
}
