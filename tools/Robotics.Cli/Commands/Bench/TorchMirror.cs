using Robotics.Policies.Mode;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Robotics.Policies.Configuration;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// The PyTorch reference of <c>bench policy</c>: tools/python/policy_bench_torch.py (embedded in this program), an
/// independent PyTorch implementation of the same network and training step, run by Debian's /usr/bin/python3 with
/// python3-torch on the OpenBLAS build that matches the thread count (serial for one thread, pthreads otherwise).
/// </summary>
public static class TorchMirror
{
    private const string Resource = "policy_bench_torch.py";

    /// <summary>Runs the mirror; null with a reason when PyTorch is not installed.</summary>
    public static (JsonElement? Result, string? Skipped) Run(PolicyConfig config, int batch, int trainSteps, int repeats, int threads, CancellationToken ct)
    {
        if (!File.Exists("/usr/bin/python3"))
            return (null, "no /usr/bin/python3");
        string script = Path.Combine(Path.GetTempPath(), $"robotics-{Resource}");
        using (var stream = typeof(TorchMirror).Assembly.GetManifestResourceStream(Resource) ?? throw new InvalidOperationException($"{Resource} is not embedded"))
        using (var file = File.Create(script))
            stream.CopyTo(file);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        string blas = threads == 1 ? "/usr/lib/x86_64-linux-gnu/openblas-serial" : "/usr/lib/x86_64-linux-gnu/openblas-pthread";
        if (Directory.Exists(blas))
            info.Environment["LD_LIBRARY_PATH"] = blas;
        info.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        info.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        info.ArgumentList.Add(script);
        foreach (var (name, value) in new (string, int)[]
                 {
                     ("--width", config.Width), ("--layers", config.Options<ModeOptions>().Layers), ("--heads", config.Options<ModeOptions>().Heads), ("--experts", config.Options<ModeOptions>().Experts),
                     ("--topk", config.Options<ModeOptions>().TopK), ("--mult", config.Options<ModeOptions>().ExpertHiddenMultiplier), ("--state-dim", config.StateDim),
                     ("--action-dim", config.ActionDim), ("--horizon", config.Horizon), ("--n-obs", config.ObservationHistory),
                     ("--tasks", config.TaskCount), ("--text-buckets", config.TextBuckets), ("--batch", batch), ("--train-steps", trainSteps),
                     ("--repeats", repeats), ("--sampling-steps", config.Options<ModeOptions>().SamplingSteps), ("--threads", threads),
                 })
        {
            info.ArgumentList.Add(name);
            info.ArgumentList.Add(value.ToString(CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
        using var registration = ct.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        var stderrTask = process.StandardError.ReadToEndAsync(ct);
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        ct.ThrowIfCancellationRequested();
        string stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            return stderr.Contains("No module named 'torch'", StringComparison.Ordinal)
                ? (null, "python3-torch is not installed (make bench-deps installs it)")
                : throw new InvalidOperationException($"the PyTorch mirror failed ({process.ExitCode}): {stderr.Trim()}");
        }

        string last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return (JsonDocument.Parse(last).RootElement.Clone(), null);
    }
}
