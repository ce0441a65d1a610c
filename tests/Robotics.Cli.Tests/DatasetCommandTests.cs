using System.Diagnostics;
using Robotics.Datasets.D4rl;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Statistics;

namespace Robotics.Cli.Tests;

/// <summary><c>robotics dataset ...</c> run as a real process on the h5py-written fixtures.</summary>
public sealed class DatasetCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "robotics-cli-dataset-tests", Guid.NewGuid().ToString("N"));

    public DatasetCommandTests() => Directory.CreateDirectory(_dir);

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tools", "fixtures", "datasets", name);
            if (File.Exists(candidate) || Directory.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException($"fixture {name} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task Validate_accepts_a_good_file_and_rejects_a_bad_one_naming_key_and_row()
    {
        var good = await CliProcess.RunAsync(null, "dataset", "validate", Fixture("d4rl_small.hdf5"), "--obs-shape", "3", "--act-shape", "2");
        Assert.Equal(ExitCodes.Success, good.ExitCode);
        Assert.Contains("valid", good.Stdout);

        string bad = Path.Combine(_dir, "bad.hdf5");
        RunPython("""
import sys, h5py, numpy as np
obs = np.zeros((20, 3), np.float32); obs[7, 1] = np.nan
with h5py.File(sys.argv[1], 'w') as f:
    f['observations'] = obs
    f['actions'] = np.zeros((20, 2), np.float32)
    f['rewards'] = np.zeros(20, np.float32)
""", bad);
        var result = await CliProcess.RunAsync(null, "dataset", "validate", bad);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("error: " + bad + " [terminals]: required key is missing", result.Stdout);
        Assert.Contains("error: " + bad + " [observations] row 7: NaN at element 1", result.Stdout);
        Assert.Contains("invalid", result.Stdout);

        var truncated = Path.Combine(_dir, "truncated.hdf5");
        var bytes = File.ReadAllBytes(Fixture("d4rl_small.hdf5"));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        var broken = await CliProcess.RunAsync(null, "dataset", "validate", truncated);
        Assert.Equal(ExitCodes.Failure, broken.ExitCode);
        Assert.Contains("truncated.hdf5", broken.Stdout);
    }

    [Fact]
    public async Task Convert_qlearning_stats_and_split_write_files_the_library_reads()
    {
        string minari = Path.Combine(_dir, "minari-v0");
        var convert = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_small.hdf5"), minari, "--to", "minari");
        Assert.Equal(ExitCodes.Success, convert.ExitCode);
        var original = D4rlHdf5Reader.Read(Fixture("d4rl_small.hdf5"));
        var converted = MinariDataset.Read(minari);
        Assert.Equal(original.Column("observations").Data, converted.Column("observations").Data);

        string transitions = Path.Combine(_dir, "q.hdf5");
        var q = await CliProcess.RunAsync(null, "dataset", "qlearning", Fixture("d4rl_small.hdf5"), transitions);
        Assert.Equal(ExitCodes.Success, q.ExitCode);
        var written = D4rlHdf5Reader.Read(transitions);
        var expected = QLearningDataset.Build(original);
        Assert.Equal(expected.Count, written.RowCount);
        Assert.Equal(expected.NextObservations.Data, written.Column("next_observations").Data);

        string statsPath = Path.Combine(_dir, "stats.json");
        var stats = await CliProcess.RunAsync(null, "dataset", "stats", Fixture("d4rl_small.hdf5"), "--keys", "observations", "--out", statsPath);
        Assert.Equal(ExitCodes.Success, stats.ExitCode);
        Assert.Equal(29.5 * 0.5, StatsJson.Read(statsPath)["observations"].Mean[0], 6); // rows 0..59 of i * 0.5

        var split = await CliProcess.RunAsync(null, "dataset", "split", Fixture("d4rl_small.hdf5"), "--out-dir", Path.Combine(_dir, "split"), "--train", "0.5", "--seed", "3");
        Assert.Equal(ExitCodes.Success, split.ExitCode);
        long rows = D4rlHdf5Reader.Read(Path.Combine(_dir, "split", "train.hdf5")).RowCount + D4rlHdf5Reader.Read(Path.Combine(_dir, "split", "valid.hdf5")).RowCount;
        Assert.Equal(original.RowCount, rows);
    }

    [Fact]
    public async Task Unknown_format_is_a_usage_error()
    {
        var result = await CliProcess.RunAsync(null, "dataset", "convert", Fixture("d4rl_small.hdf5"), Path.Combine(_dir, "x"), "--to", "parquetish");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("parquetish", result.Stdout);
    }

    private static void RunPython(string script, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
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
