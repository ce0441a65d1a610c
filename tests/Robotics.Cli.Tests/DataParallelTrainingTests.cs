using System.Diagnostics;
using Robotics.Policies.Checkpoints;
using Robotics.Torch;

namespace Robotics.Cli.Tests;

/// <summary>
/// `mpirun -np 2 robotics train`: data-parallel training over real Open MPI processes. Two ranks with global batch B
/// end with the weights of one process with batch B; a run resumes on another rank count; a killed rank fails the
/// job instead of leaving the other waiting in a collective.
/// </summary>
public sealed class DataParallelTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("robotics-mpi-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // MLP-BC has per-sample task dropout, so the sharded draws are exercised; batch 8 over 2 ranks.
    private string[] Train(string data, string output, int steps, params string[] extra) =>
        ["train", "--preset", "tabletop-mlp", "--data", data, "--steps", steps.ToString(), "--batch-size", "8", "--seed", "0", "--out", output,
            "--set", "Torch:Threads=1", "--set", "Policy:Mlp:Hidden=64", "--set", "Training:WarmupSteps=1", "--set", "Training:LearningRate=0.003", .. extra];

    private static async Task<(int ExitCode, string Output)> MpiRun(int ranks, string[] args, TimeSpan timeout, Func<Process, Task>? during = null)
    {
        var psi = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        // CI runs as root; two ranks on a 2-core machine need oversubscription allowed.
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "dotnet", CliProcess.ProgramPath })
            psi.ArgumentList.Add(a);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (during is not null)
            await during(process);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun still running after {timeout}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task<string> Corpus()
    {
        string data = Path.Combine(_dir, "push.hdf5");
        var gen = await CliProcess.RunAsync(null, "dataset", "generate", "tabletop-push", "--episodes", "6", "--seed", "3", "--out", data);
        Assert.True(gen.ExitCode == ExitCodes.Success, gen.Stdout + gen.Stderr);
        return data;
    }

    private static double MaxDifference(string a, string b)
    {
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
        string Raw(string checkpoint) => Path.Combine(checkpoint, PolicyCheckpoint.TrainingFolder, PolicyCheckpoint.RawWeightsFile);
        var x = SafetensorsFile.Load(Raw(a));
        var y = SafetensorsFile.Load(Raw(b));
        Assert.Equal(x.Keys.Order(), y.Keys.Order());
        double worst = x.Keys.Max(k => x[k].sub(y[k]).abs().max().item<float>());
        foreach (var t in x.Values.Concat(y.Values))
            t.Dispose();
        return worst;
    }

    [Fact]
    public async Task Two_ranks_with_global_batch_B_give_the_weights_of_one_process_with_batch_B_and_resume_on_one_rank()
    {
        string data = await Corpus();
        string one = Path.Combine(_dir, "one"), two = Path.Combine(_dir, "two"), resumed = Path.Combine(_dir, "resumed"), shorter = Path.Combine(_dir, "shorter");
        var single = await CliProcess.RunAsync(null, Train(data, one, 4));
        Assert.True(single.ExitCode == 0, single.Stdout + single.Stderr);
        var (exit, output) = await MpiRun(2, Train(data, two, 4, "--set", "Training:CheckpointEvery=2"), TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, output);
        Assert.Contains("data-parallel over 2 ranks", output);
        Assert.Contains("all-reduce:", output);

        double parallel = MaxDifference(Path.Combine(one, "final"), Path.Combine(two, "final"));
        Assert.True(parallel < 1e-5, $"2 ranks differ from 1 process by {parallel}");
        // The comparison can tell: two steps fewer is far away.
        var fewer = await CliProcess.RunAsync(null, Train(data, shorter, 2));
        Assert.True(fewer.ExitCode == 0, fewer.Stdout + fewer.Stderr);
        Assert.True(MaxDifference(Path.Combine(one, "final"), Path.Combine(shorter, "final")) > 1e-3);

        // Rank 0 alone wrote the checkpoints; the 2-rank run's step 2 resumes on one process to the same end.
        var resume = await CliProcess.RunAsync(null, Train(data, resumed, 4, "--resume", Path.Combine(two, "step_0000002")));
        Assert.True(resume.ExitCode == 0, resume.Stdout + resume.Stderr);
        double afterResume = MaxDifference(Path.Combine(one, "final"), Path.Combine(resumed, "final"));
        Assert.True(afterResume < 1e-5, $"resumed on 1 rank differs by {afterResume}");
    }

    [Fact]
    public async Task A_batch_that_does_not_split_over_the_ranks_is_refused()
    {
        string data = await Corpus();
        var (exit, output) = await MpiRun(2, ["train", "--preset", "tabletop-mlp", "--data", data, "--steps", "2", "--batch-size", "7", "--out", Path.Combine(_dir, "odd"), "--set", "Torch:Threads=1"],
            TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, exit);
        Assert.Contains("batch size 7 must divide evenly over 2 ranks", output);
    }

    [Fact]
    public async Task A_rank_killed_mid_run_fails_the_job_with_an_error_instead_of_hanging()
    {
        string data = await Corpus();
        string output = Path.Combine(_dir, "killed");
        var started = Stopwatch.StartNew();
        var (exit, text) = await MpiRun(2, Train(data, output, 1_000_000), TimeSpan.FromMinutes(2), async mpirun =>
        {
            // Wait until both ranks train (rank 0 has written step checkpoints' parent folder only at the end, so watch
            // the processes instead), then kill one rank the hard way.
            int victim = -1;
            for (int i = 0; i < 600 && victim < 0; i++)
            {
                await Task.Delay(100);
                victim = RankProcesses(output).Skip(1).FirstOrDefault(-1);
            }

            Assert.True(victim > 0, "no rank process found");
            await Task.Delay(4000);
            Process.GetProcessById(victim).Kill();
        });
        Assert.NotEqual(0, exit);
        Assert.True(started.Elapsed < TimeSpan.FromMinutes(2));
        Assert.Matches("(?i)(exited|killed|signal|abort)", text);
        Assert.Empty(RankProcesses(output));
    }

    /// <summary>PIDs of the `robotics train` processes writing to <paramref name="output"/>, oldest first.</summary>
    private static int[] RankProcesses(string output) =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => n.All(char.IsDigit)).Select(int.Parse)
            .Where(pid =>
            {
                try
                {
                    string cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                    return cmdline.Contains("robotics.dll train", StringComparison.Ordinal) && cmdline.Contains(output, StringComparison.Ordinal) && !cmdline.StartsWith("mpirun", StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            }).Order().ToArray();
}
