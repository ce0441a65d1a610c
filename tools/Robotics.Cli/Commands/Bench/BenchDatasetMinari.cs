using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats.Minari;
using Robotics.Datasets.Trajectories;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// The Minari part of <c>robotics bench dataset</c>: a generated corpus with a Dict observation space
/// (PointMaze's observation / achieved_goal / desired_goal, float64) and per-step infos, written by our
/// writer in minari 0.5.3's layout, then read whole by us and by h5py (the way minari's HDF5Storage
/// get_episodes reads every episode) in the same run. Each reader runs in its own process so its peak
/// memory is its own; rows/s and the ratio (ours / h5py, above 1 is faster) are printed.
/// </summary>
public static class BenchDatasetMinari
{
    private const int EpisodeLength = 500;

    public static async Task RunAsync(CommandContext context, string folder, int steps, int repeat)
    {
        if (steps <= 0)
            return;
        var console = context.Console;
        var ct = context.CancellationToken;
        int episodes = Math.Max(1, steps / EpisodeLength);
        string root = Path.Combine(folder, "minari");
        string dataset = await context.WithProgressAsync("minari: generate", _ => Task.Run(() =>
            MinariDataset.Write(root, Generate(episodes), "bench/pointmaze-dict-v0", cancellationToken: ct)));
        long rows = (long)episodes * EpisodeLength;
        string h5 = Path.Combine(dataset, "data", MinariDataset.DataFile);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"minari corpus: {dataset} ({new FileInfo(h5).Length / 1e6:F1} MB, {episodes:N0} episodes, {rows:N0} steps, Dict observations)");

        var (ours, reference) = await context.WithProgressAsync("minari: full read, alternating h5py and ours", progress => Task.Run(() =>
        {
            JsonElement? bestOurs = null, bestRef = null;
            for (int r = 0; r < Math.Max(1, repeat); r++)
            {
                var py = RunPython(dataset, ct);
                if (bestRef is null || py.GetProperty("seconds").GetDouble() < bestRef.Value.GetProperty("seconds").GetDouble())
                    bestRef = py;
                var mine = RunChild(dataset, ct);
                if (bestOurs is null || mine.GetProperty("seconds").GetDouble() < bestOurs.Value.GetProperty("seconds").GetDouble())
                    bestOurs = mine;
                progress.Report(new("minari: full read, alternating h5py and ours", r + 1, repeat));
            }

            return (bestOurs!.Value, bestRef!.Value);
        }));

        if (ours.GetProperty("rows").GetInt64() != rows || reference.GetProperty("rows").GetInt64() != rows + episodes)
            throw new InvalidOperationException($"row counts differ: ours {ours.GetProperty("rows").GetInt64()}, h5py {reference.GetProperty("rows").GetInt64()} observations for {rows} steps");
        double oursRate = rows / ours.GetProperty("seconds").GetDouble();
        double refRate = rows / reference.GetProperty("seconds").GetDouble();
        var table = new Table().AddColumns("minari read (same corpus, same run)", "h5py (minari's get_episodes way)", "Robotics.Datasets", "ratio (ours / h5py)");
        table.AddRow("steps / s", refRate.ToString("N0", CultureInfo.InvariantCulture), oursRate.ToString("N0", CultureInfo.InvariantCulture), (oursRate / refRate).ToString("F2", CultureInfo.InvariantCulture));
        double coldRate = rows / ours.GetProperty("cold_seconds").GetDouble();
        table.AddRow("steps / s, first read in the process (JIT included)", refRate.ToString("N0", CultureInfo.InvariantCulture), coldRate.ToString("N0", CultureInfo.InvariantCulture), (coldRate / refRate).ToString("F2", CultureInfo.InvariantCulture));
        double refPeak = reference.GetProperty("peak_rss").GetInt64() / 1048576.0;
        double oursPeak = ours.GetProperty("peak_working_set").GetInt64() / 1048576.0;
        table.AddRow("peak memory (MiB, whole process, first read)", refPeak.ToString("F1", CultureInfo.InvariantCulture), oursPeak.ToString("F1", CultureInfo.InvariantCulture), (oursPeak / refPeak).ToString("F2", CultureInfo.InvariantCulture));
        console.Write(table);
    }

    /// <summary>Internal child mode: reads the Minari folder whole and prints seconds, rows and peak working set as JSON.</summary>
    public static string RunChildRead(string dataset)
    {
        // The first read pays JIT compilation (what a one-shot conversion pays); the second is warm.
        var watch = Stopwatch.StartNew();
        long firstRows = MinariDataset.Read(dataset).RowCount;
        double cold = watch.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        long peak = self.PeakWorkingSet64;
        GC.Collect();
        watch.Restart();
        long rows = MinariDataset.Read(dataset).RowCount;
        if (rows != firstRows)
            throw new InvalidOperationException($"two reads of {dataset} gave {firstRows} and {rows} rows");
        double warm = watch.Elapsed.TotalSeconds;
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["seconds"] = warm, ["cold_seconds"] = cold, ["rows"] = rows, ["peak_working_set"] = peak });
    }

    private static FlatDataset Generate(int episodes)
    {
        int n = episodes * EpisodeLength;
        var random = new Random(11);
        double[] Values(int width, Func<int, int, double> f)
        {
            var v = new double[n * width];
            for (int r = 0; r < n; r++)
                for (int c = 0; c < width; c++)
                    v[r * width + c] = f(r, c);
            return v;
        }

        NdArray F64(double[] values, int width) => new(DType.Float64, [n, width], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        var observation = Values(4, (_, _) => random.NextDouble());
        var terminals = new byte[n];
        var timeouts = new byte[n];
        for (int e = 0; e < episodes; e++)
            (e % 3 == 0 ? terminals : timeouts)[(e + 1) * EpisodeLength - 1] = 1;
        var columns = new Dictionary<string, NdArray>
        {
            ["obs/observation"] = F64(observation, 4),
            ["obs/achieved_goal"] = F64(Values(2, (r, c) => observation[r * 4 + c]), 2),
            ["obs/desired_goal"] = F64(Values(2, (r, c) => r / EpisodeLength + c), 2),
            ["next_obs/observation"] = F64(Values(4, (r, c) => observation[Math.Min(n - 1, r + 1) * 4 + c]), 4),
            ["next_obs/achieved_goal"] = F64(Values(2, (r, c) => observation[Math.Min(n - 1, r + 1) * 4 + c]), 2),
            ["next_obs/desired_goal"] = F64(Values(2, (r, c) => r / EpisodeLength + c), 2),
            ["actions"] = new(DType.Float32, [n, 2], MemoryMarshal.AsBytes(Enumerable.Range(0, 2 * n).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray().AsSpan()).ToArray()),
            ["rewards"] = new(DType.Float64, [n], MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(i => (double)(i % 7 == 0 ? 1 : 0)).ToArray().AsSpan()).ToArray()),
            ["terminals"] = new(DType.Bool, [n], terminals),
            ["timeouts"] = new(DType.Bool, [n], timeouts),
            ["infos/success"] = new(DType.Bool, [n], terminals.ToArray()),
        };
        return new FlatDataset(columns);
    }

    private static JsonElement RunChild(string dataset, CancellationToken ct)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(BenchDatasetMinari).Assembly.Location);
        foreach (string a in new[] { "bench", "dataset", "--minari-child", dataset })
            info.ArgumentList.Add(a);
        return RunJson(info, "our Minari reader (child process)", ct);
    }

    private static JsonElement RunPython(string dataset, CancellationToken ct)
    {
        // minari's HDF5Storage.get_episodes without gymnasium: every episode's Dict observations
        // (group by key), actions, rewards, terminations, truncations and infos, as numpy arrays.
        const string script = """
import sys, os, json, time, resource, h5py, numpy as np
path = os.path.join(sys.argv[1], 'data', 'main_data.hdf5')
meta = json.load(open(os.path.join(sys.argv[1], 'data', 'metadata.json')))
def decode(ref):
    if isinstance(ref, h5py.Group):
        return {k: decode(ref[k]) for k in ref.keys()}
    return ref[()]
t = time.perf_counter()
episodes = []
with h5py.File(path, 'r') as f:
    for i in range(meta['total_episodes']):
        g = f[f'episode_{i}']
        ep = {'observations': decode(g['observations']), 'actions': decode(g['actions']),
              'infos': decode(g['infos']) if 'infos' in g else None}
        for k in ('rewards', 'terminations', 'truncations'):
            ep[k] = g[k][:]
        episodes.append(ep)
seconds = time.perf_counter() - t
rows = sum(len(e['observations']['observation']) for e in episodes)
print(json.dumps({'seconds': seconds, 'rows': rows, 'peak_rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
""";
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(dataset);
        return RunJson(info, "the h5py reference (is python3-h5py installed?)", ct);
    }

    private static JsonElement RunJson(ProcessStartInfo info, string what, CancellationToken ct)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {what}");
        using var registration = ct.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        var stderr = process.StandardError.ReadToEndAsync(ct);
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {stderr.Result.Trim()} {stdout.Trim()}");
        string json = stdout.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
