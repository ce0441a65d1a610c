using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Benchmarks;
using Robotics.Datasets.D4rl;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Sampling;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench dataset</c>: generates a synthetic D4RL file (default 1M transitions) with our
/// writer, then times, in the same run and on the same file, full read and qlearning_dataset against
/// h5py + numpy (/usr/bin/python3), printing ratios (reference time / our time; above 1 is faster).
/// Finally a child process samples windows from the file under a hard GC heap limit smaller than the
/// file's data, and reports its peak memory.
/// </summary>
public static class BenchDatasetCommand
{
    private static readonly Option<int> Rows = new("--rows") { Description = "Transitions in the generated file.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<int> Repeat = new("--repeat") { Description = "Timed repetitions; the best is reported.", DefaultValueFactory = _ => 3 };
    private static readonly Option<string?> Folder = new("--dir") { Description = "Where the generated file goes (default: a temporary folder, deleted afterwards)." };
    private static readonly Option<int> CacheMb = new("--cache-mb") { Description = "Row cache the sampler may use, in MiB.", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> HeapLimitMb = new("--heap-limit-mb") { Description = "Hard GC heap limit of the sampler's process, in MiB.", DefaultValueFactory = _ => 64 };
    private static readonly Option<int> Batches = new("--batches") { Description = "Sampler batches (of 256 windows) to draw.", DefaultValueFactory = _ => 400 };
    private static readonly Option<string?> SamplerChild = new("--sampler-child") { Description = "Internal: run only the sampler on this file and print JSON.", Hidden = true };
    private static readonly Option<int> MinariSteps = new("--minari-steps") { Description = "Steps of the generated Minari corpus with Dict observations (0 skips the Minari part).", DefaultValueFactory = _ => 200_000 };
    private static readonly Option<string?> MinariChild = new("--minari-child") { Description = "Internal: read only this Minari folder and print JSON.", Hidden = true };

    public static Command Create()
    {
        var command = new Command("dataset", "D4RL read and qlearning_dataset speed vs h5py + numpy on a generated >= 1M-transition file; streaming sampler peak memory.");
        foreach (var option in new Option[] { Rows, Repeat, Folder, CacheMb, HeapLimitMb, Batches, SamplerChild, MinariSteps, MinariChild }.Concat(BenchDatasetLeRobot.Options))
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            if (parse.GetValue(SamplerChild) is { } childFile)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(RunSampler(childFile, parse.GetValue(CacheMb), parse.GetValue(Batches))));
                return ExitCodes.Success;
            }

            if (parse.GetValue(MinariChild) is { } minariFolder)
            {
                Console.Out.WriteLine(BenchDatasetMinari.RunChildRead(minariFolder));
                return ExitCodes.Success;
            }

            return await RunAsync(context, parse);
        });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, ParseResult parse)
    {
        int rows = parse.GetValue(Rows);
        int repeat = Math.Max(1, parse.GetValue(Repeat));
        string folder = parse.GetValue(Folder) ?? Path.Combine(Path.GetTempPath(), $"robotics-bench-dataset-{Environment.ProcessId}");
        bool temporary = parse.GetValue(Folder) is null;
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, $"synthetic-{rows}.hdf5");
        var console = context.Console;
        var ct = context.CancellationToken;
        try
        {
            if (parse.GetValue(BenchDatasetLeRobot.Only))
                return await BenchDatasetLeRobot.RunAsync(context, parse, folder, repeat);
            double writeSeconds = await context.WithProgressAsync("generate", progress => Task.Run(() =>
            {
                progress.Report(new("generate", 0, 2, $"{rows:N0} rows"));
                var data = SyntheticD4rl.Create(rows, seed: 7);
                progress.Report(new("generate", 1, 2, "writing"));
                var watch = Stopwatch.StartNew();
                D4rlHdf5Writer.Write(file, data, cancellationToken: ct);
                progress.Report(new("generate", 2, 2));
                return watch.Elapsed.TotalSeconds;
            }));
            GC.Collect();
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"file: {file} ({new FileInfo(file).Length / 1e6:F1} MB on disk, {rows:N0} transitions, written in {writeSeconds:F2} s)");

            // Alternate reference and our runs so a busy machine slows both alike; best of each is kept.
            var (python, ours) = await context.WithProgressAsync("read + qlearning_dataset, alternating h5py and ours", progress => Task.Run(() =>
            {
                double read = double.MaxValue, numpy = double.MaxValue;
                JsonElement last = default;
                OurTimes? mine = null;
                for (int r = 0; r < repeat; r++)
                {
                    last = RunPython(file, 1, loop: r == repeat - 1, progress, ct);
                    read = Math.Min(read, last.GetProperty("read").GetDouble());
                    numpy = Math.Min(numpy, last.GetProperty("qlearning_numpy").GetDouble());
                    var once = RunOurs(file, 1, progress, ct);
                    mine = mine is null ? once : new OurTimes(Math.Min(mine.Read, once.Read), Math.Min(mine.QLearning, once.QLearning), once.Transitions);
                    progress.Report(new("read + qlearning_dataset, alternating h5py and ours", r + 1, repeat));
                }

                var merged = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["read"] = read,
                    ["qlearning_numpy"] = numpy,
                    ["qlearning_loop"] = last.GetProperty("qlearning_loop").GetDouble(),
                    ["transitions"] = last.GetProperty("transitions").GetInt64(),
                });
                return (merged, mine!);
            }));
            var sampler = await context.WithProgressAsync("streaming sampler (child process)", progress => Task.Run(() => RunSamplerChild(file, parse, progress, ct)));

            var table = new Table().AddColumns("work (same file, same run)", "h5py + numpy (s)", "Robotics.Datasets (s)", "ratio (ref / ours)");
            void Row(string name, double reference, double mine) =>
                table.AddRow(name, reference.ToString("F3", CultureInfo.InvariantCulture), mine.ToString("F3", CultureInfo.InvariantCulture),
                    (reference / mine).ToString("F2", CultureInfo.InvariantCulture));
            Row("full read (all keys)", python.GetProperty("read").GetDouble(), ours.Read);
            Row("qlearning_dataset (vs d4rl's Python loop)", python.GetProperty("qlearning_loop").GetDouble(), ours.QLearning);
            Row("qlearning_dataset (vs vectorised numpy)", python.GetProperty("qlearning_numpy").GetDouble(), ours.QLearning);
            Row("read + qlearning_dataset (vs numpy)", python.GetProperty("read").GetDouble() + python.GetProperty("qlearning_numpy").GetDouble(), ours.Read + ours.QLearning);
            console.Write(table);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"transitions kept by qlearning_dataset: ours {ours.Transitions:N0}, d4rl loop {python.GetProperty("transitions").GetInt64():N0}");
            if (ours.Transitions != python.GetProperty("transitions").GetInt64())
            {
                console.MarkupLine("[red]transition counts differ[/]");
                return ExitCodes.Failure;
            }

            long rawBytes = (long)rows * (17 + 6 + 9 + 8 + 1) * 4 + rows * 2L;
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"sampler: {sampler.GetProperty("batches").GetInt32()} batches x 256 windows (history 2, horizon 16, block-shuffled) in {sampler.GetProperty("seconds").GetDouble():F2} s, {sampler.GetProperty("block_reads").GetInt64()} block reads; row cache budget {parse.GetValue(CacheMb)} MiB (peak {sampler.GetProperty("peak_cache_bytes").GetInt64() / 1048576.0:F1} MiB), GC heap hard limit {parse.GetValue(HeapLimitMb)} MiB, peak working set {sampler.GetProperty("peak_working_set").GetInt64() / 1048576.0:F1} MiB; the file holds {rawBytes / 1048576.0:F1} MiB of row data");
            await BenchDatasetMinari.RunAsync(context, folder, parse.GetValue(MinariSteps), repeat);
            return await BenchDatasetLeRobot.RunAsync(context, parse, folder, repeat);
        }
        finally
        {
            if (temporary)
                Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record OurTimes(double Read, double QLearning, long Transitions);

    private static OurTimes RunOurs(string file, int repeat, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        double read = double.MaxValue, q = double.MaxValue;
        long transitions = 0;
        for (int r = 0; r < repeat; r++)
        {
            ct.ThrowIfCancellationRequested();
            GC.Collect();
            var watch = Stopwatch.StartNew();
            var data = D4rlHdf5Reader.Read(file, ct);
            read = Math.Min(read, watch.Elapsed.TotalSeconds);
            watch.Restart();
            var transitionsSet = QLearningDataset.Build(data);
            q = Math.Min(q, watch.Elapsed.TotalSeconds);
            transitions = transitionsSet.Count;

        }

        return new OurTimes(read, q, transitions);
    }

    private static JsonElement RunPython(string file, int repeat, bool loop, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        const string script = """
import sys, json, time, h5py, numpy as np
path, repeat, run_loop = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1'
def read_all():
    out = {}
    with h5py.File(path, 'r') as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out
def qlearning_loop(dataset, terminate_on_end=False):
    # d4rl.qlearning_dataset's loop, as released.
    N = dataset['rewards'].shape[0]
    obs_, next_obs_, action_, reward_, done_ = [], [], [], [], []
    use_timeouts = 'timeouts' in dataset
    episode_step = 0
    for i in range(N - 1):
        obs = dataset['observations'][i].astype(np.float32)
        new_obs = dataset['observations'][i + 1].astype(np.float32)
        action = dataset['actions'][i].astype(np.float32)
        reward = dataset['rewards'][i].astype(np.float32)
        done_bool = bool(dataset['terminals'][i])
        final_timestep = dataset['timeouts'][i] if use_timeouts else False
        if (not terminate_on_end) and final_timestep:
            episode_step = 0
            continue
        if done_bool or final_timestep:
            episode_step = 0
        obs_.append(obs); next_obs_.append(new_obs); action_.append(action); reward_.append(reward); done_.append(done_bool)
        episode_step += 1
    return {'observations': np.array(obs_), 'actions': np.array(action_), 'next_observations': np.array(next_obs_),
            'rewards': np.array(reward_), 'terminals': np.array(done_)}
def qlearning_numpy(d):
    idx = np.nonzero(~d['timeouts'][:-1].astype(bool))[0]
    return {'observations': d['observations'][idx].astype(np.float32), 'actions': d['actions'][idx].astype(np.float32),
            'next_observations': d['observations'][idx + 1].astype(np.float32), 'rewards': d['rewards'][idx].astype(np.float32),
            'terminals': d['terminals'][idx].astype(bool)}
best_read = best_np = 1e9
for _ in range(repeat):
    t = time.perf_counter(); d = read_all(); best_read = min(best_read, time.perf_counter() - t)
    t = time.perf_counter(); q = qlearning_numpy(d); best_np = min(best_np, time.perf_counter() - t)
loop = -1.0
if run_loop:
    t = time.perf_counter(); ql = qlearning_loop(d); loop = time.perf_counter() - t
    assert len(ql['rewards']) == len(q['rewards'])
    assert np.array_equal(ql['next_observations'], q['next_observations'])
print(json.dumps({'read': best_read, 'qlearning_numpy': best_np, 'qlearning_loop': loop, 'transitions': int(len(q['rewards']))}))
""";
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(file);
        info.ArgumentList.Add(repeat.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(loop ? "1" : "0");

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        using var registration = ct.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the h5py reference failed ({process.ExitCode}); is python3-h5py installed? {stderr.Trim()}");

        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static JsonElement RunSamplerChild(string file, ParseResult parse, IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(BenchDatasetCommand).Assembly.Location);
        foreach (string a in new[] { "bench", "dataset", "--sampler-child", file, "--cache-mb", parse.GetValue(CacheMb).ToString(CultureInfo.InvariantCulture), "--batches", parse.GetValue(Batches).ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        // The limit makes the bound real: loading the file whole would fail with OutOfMemoryException.
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)parse.GetValue(HeapLimitMb) << 20).ToString("X", CultureInfo.InvariantCulture);
        progress.Report(new("streaming sampler (child process)", 0, null));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the sampler child process");
        using var registration = ct.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the sampler child failed ({process.ExitCode}): {stderr.Trim()} {stdout.Trim()}");
        progress.Report(new("streaming sampler (child process)", 1, 1));
        string json = stdout.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static Dictionary<string, object> RunSampler(string file, int cacheMb, int batches)
    {
        var options = new WindowSamplerOptions
        {
            ObservationHistory = 2, ActionHorizon = 16, BatchSize = 256, Seed = 1,
            CacheBytes = (long)cacheMb << 20, BlockRows = 16_384, PrefetchBatches = 2,
            // Block-shuffled: 6 resident blocks (~1.5 MiB of rows each) per rotation of 16 batches.
            ResidentBlocks = 6, BatchesPerRotation = 16,
        };
        var source = Hdf5TrajectoryFile.Open(file);
        source.ChunkCacheBytesPerColumn = 2L << 20;
        using var sampler = new WindowSampler([new CorpusSpec("synthetic", source)], options);
        var watch = Stopwatch.StartNew();
        long windows = 0;
        foreach (var batch in sampler.Batches(0, batches))
            windows += batch.BatchSize;
        double seconds = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return new Dictionary<string, object>
        {
            ["batches"] = batches,
            ["windows"] = windows,
            ["seconds"] = seconds,
            ["peak_cache_bytes"] = sampler.PeakCacheBytes,
            ["block_reads"] = sampler.BlockReads,
            ["peak_working_set"] = self.PeakWorkingSet64,
            ["gc_heap_bytes"] = GC.GetGCMemoryInfo().HeapSizeBytes,
        };
    }
}
