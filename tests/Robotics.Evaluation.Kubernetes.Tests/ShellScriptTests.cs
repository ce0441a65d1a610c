using System.Diagnostics;
using System.Runtime.Versioning;

namespace Robotics.Evaluation.Kubernetes.Tests;

/// <summary>
/// Runs the merge Job's scripts with the local <c>sh</c> against a scratch results folder, with a
/// stub <c>robotics</c> on PATH that records its arguments: what the pod would do, without a cluster.
/// </summary>
public sealed class ShellScriptTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("robotics-k8s-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Wait_script_passes_when_every_shard_wrote_done()
    {
        if (!HasShell())
        {
            return;
        }

        var options = Options();
        for (var i = 0; i < options.Shards; i++)
        {
            var shard = Directory.CreateDirectory(Path.Combine(_root, "quality", $"shard-{i}")).FullName;
            File.WriteAllText(Path.Combine(shard, "DONE"), "");
        }

        var (code, output) = RunScript(WaitScript(options));
        Assert.True(code == 0, output);
        Assert.Contains("all 4 shards are done", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_script_passes_every_shard_folder_to_merge_then_reports()
    {
        if (!HasShell())
        {
            return;
        }

        var options = Options();
        for (var i = 0; i < options.Shards; i++)
        {
            Directory.CreateDirectory(Path.Combine(_root, "quality", $"shard-{i}"));
        }

        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var log = Path.Combine(_root, "calls.log");
        var stub = Path.Combine(bin, "robotics");
        File.WriteAllText(stub, $"#!/bin/sh\necho \"$*\" >> {log}\n");
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var merge = Assert.Single(SweepJobManifest.BuildMergeJob(options).Spec.Template.Spec.Containers).Command[2];
        var (code, output) = RunScript(merge, bin);
        Assert.True(code == 0, output);
        var q = Path.Combine(_root, "quality");
        Assert.Equal(
            [
                $"sweep merge {q}/shard-0 {q}/shard-1 {q}/shard-2 {q}/shard-3 --out {q}/merged --overwrite",
                $"sweep report {q}/merged --out {q}/report",
            ],
            File.ReadAllLines(log));
    }

    private SweepJobOptions Options() => SampleOptions.FourShards() with { ResultsMountPath = _root };

    private static string WaitScript(SweepJobOptions options) =>
        Assert.Single(SweepJobManifest.BuildMergeJob(options).Spec.Template.Spec.InitContainers).Command[2];

    [UnsupportedOSPlatformGuard("windows")]
    private static bool HasShell() => !OperatingSystem.IsWindows() && File.Exists("/bin/sh");

    private static (int Code, string Output) RunScript(string script, string? prependPath = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        if (prependPath is not null)
        {
            start.Environment["PATH"] = prependPath + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
