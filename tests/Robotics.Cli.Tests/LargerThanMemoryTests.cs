using System.Globalization;
using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>
/// A corpus 4x larger than the process may hold (DOTNET_GCHeapHardLimit on a real child process) is synthesized,
/// converted (to D4RL and to robomimic) and trained on; the in-memory path, refused the same heap, fails, so the limit binds.
/// </summary>
public sealed class LargerThanMemoryTests : IDisposable
{
    private const long HeapBytes = 64L << 20;
    private const long Rows = 1_700_000; // 166 bytes a row: 269 MiB of row data, 4.2x the heap
    private readonly string _dir = Directory.CreateTempSubdirectory("robotics-larger-than-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Dictionary<string, string> Limited = new() { ["DOTNET_GCHeapHardLimit"] = "0x" + HeapBytes.ToString("X", CultureInfo.InvariantCulture) };

    [Fact]
    public async Task A_corpus_four_times_the_heap_limit_is_written_converted_and_trained_on()
    {
        string corpus = Path.Combine(_dir, "big.hdf5"), converted = Path.Combine(_dir, "converted.hdf5");
        var made = await CliProcess.RunAsync(Limited, "dataset", "synthesize", "--rows", Rows.ToString(CultureInfo.InvariantCulture), "--seed", "3", "--out", corpus);
        Assert.True(made.ExitCode == ExitCodes.Success, made.Stdout + made.Stderr);

        var convert = await CliProcess.RunAsync(Limited, "dataset", "convert", corpus, converted, "--to", "d4rl", "--max-episode-steps", "500");
        Assert.True(convert.ExitCode == ExitCodes.Success, convert.Stdout + convert.Stderr);
        Assert.True(convert.Stdout.Contains("1,700,000", StringComparison.Ordinal), convert.Stdout);

        // The converted file is the corpus, with time-limit ends every 500 rows (the synthetic episodes are 1000 long).
        const string script = """
            import h5py, json, sys, numpy as np
            a, b = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
            same = all(np.array_equal(a[k][-5000:], b[k][-5000:]) for k in ('observations', 'actions', 'infos/qvel', 'terminals'))
            print(json.dumps({'same': bool(same), 'rows': int(b['observations'].shape[0]),
                              'timeouts': int(b['timeouts'][()].sum()), 'source_timeouts': int(a['timeouts'][()].sum())}))
            """;
        var check = JsonDocument.Parse(await Python(script, corpus, converted)).RootElement;
        Assert.True(check.GetProperty("same").GetBoolean());
        Assert.Equal(Rows, check.GetProperty("rows").GetInt64());
        Assert.True(check.GetProperty("timeouts").GetInt32() > check.GetProperty("source_timeouts").GetInt32() + 1000);

        string run = Path.Combine(_dir, "run");
        var train = await CliProcess.RunAsync(Limited, "train", "--preset", "tabletop-mlp", "--data", corpus, "--steps", "20", "--out", run,
            "--set", "Torch:Threads=1", "--set", "Training:DataResidentBlocks=4", "--set", "Training:DataCacheMegabytes=8",
            "--set", "Training:ValidateEvery=1000", "--set", "Training:CheckpointEvery=1000");
        Assert.True(train.ExitCode == ExitCodes.Success, train.Stdout + train.Stderr);
        var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "final", "normalization.json"))).RootElement;
        Assert.Equal(Rows, stats.GetProperty("observation.state").GetProperty("count")[0].GetInt64());

        // The robomimic writer streams too (demo by demo), so the corpus converts to robomimic under the same limit.
        string demos = Path.Combine(_dir, "demos.hdf5");
        var robomimic = await CliProcess.RunAsync(Limited, "dataset", "convert", corpus, demos, "--to", "robomimic");
        Assert.True(robomimic.ExitCode == ExitCodes.Success, robomimic.Stdout + robomimic.Stderr);

        // Control: the in-memory path (the robomimic reader loads a file whole) cannot run under the same limit.
        var whole = await CliProcess.RunAsync(Limited, "dataset", "convert", demos, Path.Combine(_dir, "whole.hdf5"), "--to", "d4rl");
        Assert.NotEqual(ExitCodes.Success, whole.ExitCode);
        Assert.Contains("OutOfMemory", whole.Stdout + whole.Stderr);
    }

    private static async Task<string> Python(string script, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string stdout = await p.StandardOutput.ReadToEndAsync();
        string stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, stderr);
        return stdout;
    }
}
