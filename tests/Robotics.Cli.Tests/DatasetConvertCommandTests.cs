using System.Diagnostics;

namespace Robotics.Cli.Tests;

/// <summary>
/// <c>robotics dataset convert</c> run as a real process on h5py-written fixtures
/// (tools/python/make_episode_fixtures.py); outputs checked with h5py.
/// </summary>
public sealed class DatasetConvertCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "robotics-cli-convert-tests", Guid.NewGuid().ToString("N"));

    public DatasetConvertCommandTests() => Directory.CreateDirectory(_dir);

    private static string Fixture(string name) => Path.Combine(Checkout.Root, "tools", "fixtures", "datasets", name);

    [Fact]
    public async Task Max_episode_steps_splits_a_d4rl_v0_file_where_its_time_limit_cut_episodes()
    {
        string output = Path.Combine(_dir, "v0_split.hdf5");
        var result = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_v0_no_timeouts.hdf5"), output, "--to", "d4rl", "--max-episode-steps", "10");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("time-limit episode end", result.Stdout);

        // h5py: split the output as d4rl's sequence_dataset does with timeouts present, and compare with
        // the ground truth the fixture carries (observations[:, 0] = episode number).
        Assert.Equal("ok", Python("""
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
obs, term, tout = f['observations'][()], f['terminals'][()], f['timeouts'][()]
assert tout.dtype == bool, tout.dtype
episodes, start = [], 0
for i in range(len(term)):
    if bool(term[i]) or bool(tout[i]):
        episodes.append((start, i + 1)); start = i + 1
truth = [e for e in np.unique(obs[:, 0])]
finished = [e for e in truth if (obs[:, 0] == e).sum() == 10 or term[np.nonzero(obs[:, 0] == e)[0][-1]]]
assert len(episodes) == len(finished), (episodes, finished)
for (a, b), e in zip(episodes, finished):
    rows = np.nonzero(obs[:, 0] == e)[0]
    assert a == rows[0] and b == rows[-1] + 1, (a, b, e)
    assert not (term[b - 1] and tout[b - 1])
print('ok')
""", output));
    }

    [Fact]
    public async Task A_source_without_rewards_is_refused_for_d4rl_naming_file_and_key_and_writes_nothing()
    {
        string source = Fixture("robomimic_no_rewards.hdf5");
        string output = Path.Combine(_dir, "refused.hdf5");
        var result = await CliProcess.RunAsync(null, "dataset", "convert", source, output, "--to", "d4rl");
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        string text = (result.Stdout + result.Stderr).Replace("\n", "", StringComparison.Ordinal);
        Assert.Contains("robomimic_no_rewards.hdf5", text);
        Assert.Contains("'rewards'", text);
        Assert.Contains("--fill-rewards", text);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_d4rl_file_converts_to_lerobot_only_with_its_frame_rate_and_info_json_records_it()
    {
        string refused = Path.Combine(_dir, "no-fps"), output = Path.Combine(_dir, "lerobot");
        var without = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_small.hdf5"), refused, "--to", "lerobot");
        Assert.NotEqual(0, without.ExitCode);
        Assert.Contains("fps", without.Stdout + without.Stderr);
        Assert.False(Directory.Exists(refused));
        var with = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_small.hdf5"), output, "--to", "lerobot", "--fps", "20");
        Assert.True(with.ExitCode == 0, with.Stdout + with.Stderr);
        using var info = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "meta", "info.json")));
        Assert.Equal(20, info.RootElement.GetProperty("fps").GetDouble());
        var bad = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_small.hdf5"), Path.Combine(_dir, "bad"), "--to", "lerobot", "--fps", "0");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
    }

    [Fact]
    public async Task Fill_rewards_writes_the_constant_and_records_it_in_metadata()
    {
        string output = Path.Combine(_dir, "filled.hdf5");
        var result = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("robomimic_no_rewards.hdf5"), output, "--to", "d4rl", "--fill-rewards", "0");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("ok", Python("""
import sys, h5py, numpy as np
src = h5py.File(sys.argv[1], 'r'); f = h5py.File(sys.argv[2], 'r')
n = sum(src['data'][d]['actions'].shape[0] for d in src['data'])
assert f['rewards'].shape == (n,) and np.all(f['rewards'][()] == 0), f['rewards'][()]
assert float(f['metadata/filled_rewards'][()]) == 0.0
acts = np.concatenate([src['data'][d]['actions'][()] for d in sorted(src['data'], key=lambda d: int(d[5:]))])
assert np.array_equal(f['actions'][()], acts)
print('ok')
""", Fixture("robomimic_no_rewards.hdf5"), output));
    }

    [Fact]
    public async Task Robomimic_to_robomimic_keeps_demos_masks_and_attributes_for_robomimics_loader()
    {
        string source = Fixture("robomimic_done_mode2.hdf5");
        string output = Path.Combine(_dir, "rm.hdf5");
        var result = await CliProcess.RunAsync(null, "dataset", "convert", source, output, "--to", "robomimic");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        string checker = File.ReadAllText(Path.Combine(Checkout.Root, "tools", "python", "check_robomimic_file.py"));
        Assert.Equal(Python(checker, source), Python(checker, output));
    }

    [Fact]
    public async Task A_lerobot_source_streams_into_every_writer_and_gives_what_the_whole_conversion_gives()
    {
        // lerobot -> lerobot streams (videos copied packet for packet): byte-identical to the library's whole write.
        string recorded = Fixture("lerobot_v30_record");
        string streamed = Path.Combine(_dir, "lerobot"), whole = Path.Combine(_dir, "lerobot-whole");
        var result = await CliProcess.RunAsync(null, "dataset", "convert", recorded, streamed, "--to", "lerobot");
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Robotics.Datasets.Formats.LeRobot.LeRobotDataset.Write(whole, Robotics.Datasets.Formats.LeRobot.LeRobotDataset.Read(recorded));
        var files = Directory.EnumerateFiles(whole, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(whole, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, Directory.EnumerateFiles(streamed, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(streamed, f)).Order(StringComparer.Ordinal));
        foreach (string file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(whole, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(streamed, file))), $"{file} differs");

        // lerobot -> robomimic: a recording without rewards is refused as the whole path refuses it, then filled.
        string demos = Path.Combine(_dir, "demos.hdf5");
        var refused = await CliProcess.RunAsync(null, "dataset", "convert", recorded, demos, "--to", "robomimic");
        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        // The console wraps long lines at a space: join them back with one.
        string text = System.Text.RegularExpressions.Regex.Replace(refused.Stdout + refused.Stderr, @"\s+", " ");
        Assert.Contains("records no 'rewards'", text);
        Assert.Contains("--fill-rewards", text);
        Assert.False(File.Exists(demos));
        var filled = await CliProcess.RunAsync(null, "dataset", "convert", recorded, demos, "--to", "robomimic", "--fill-rewards", "0");
        Assert.True(filled.ExitCode == 0, filled.Stdout + filled.Stderr);
        Assert.Equal(15, Robotics.Datasets.Formats.Robomimic.RobomimicDataset.Read(demos).RowCount);

        // lerobot -> minari (a simulation recording with rewards): the same columns as the library's whole write.
        string sim = Fixture("lerobot_v30_sim");
        string minari = Path.Combine(_dir, "sim-v0");
        var toMinari = await CliProcess.RunAsync(null, "dataset", "convert", sim, minari, "--to", "minari");
        Assert.True(toMinari.ExitCode == 0, toMinari.Stdout + toMinari.Stderr);
        string minariWhole = Robotics.Datasets.Formats.Minari.MinariDataset.Write(Path.Combine(_dir, "whole"), Robotics.Datasets.Formats.LeRobot.LeRobotDataset.Read(sim), "sim-v0");
        var a = Robotics.Datasets.Formats.Minari.MinariDataset.Read(minariWhole);
        var b = Robotics.Datasets.Formats.Minari.MinariDataset.Read(minari);
        Assert.Equal(a.Columns.Keys.Order(StringComparer.Ordinal), b.Columns.Keys.Order(StringComparer.Ordinal));
        foreach (var key in a.Columns.Keys)
            Assert.Equal(a.Column(key).Data, b.Column(key).Data);
        Assert.Equal(File.ReadAllText(Path.Combine(minariWhole, "data", "metadata.json")), File.ReadAllText(Path.Combine(minari, "data", "metadata.json")));
    }

    private static string Python(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return stdout.Result.Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
