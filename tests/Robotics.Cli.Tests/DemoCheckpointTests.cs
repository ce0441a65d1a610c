using System.Diagnostics;
using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>
/// The demo ships a MoDE checkpoint made by `make demo-checkpoint`: the stored one must still load and act with the
/// current code, and the recipe that made it must still run (here with a few steps, into a temporary folder).
/// </summary>
public sealed class DemoCheckpointTests
{
    /// <summary>The checkout the tests were built in (CI builds map source paths, so caller paths cannot be used).</summary>
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Robotics.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"no Robotics.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task The_shipped_checkpoint_loads_and_acts_on_the_demo_tasks_with_its_recipe_beside_it()
    {
        string checkpoint = Path.Combine(RepoRoot(), "policies", "checkpoints", "demo-mode");
        using var recipe = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "recipe.json")));
        Assert.Equal(11, recipe.RootElement.GetProperty("data").GetProperty("seed").GetInt32());
        Assert.Equal(2, recipe.RootElement.GetProperty("commands").GetArrayLength());
        string json = Path.Combine(Path.GetTempPath(), "demo-checkpoint-eval-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "eval", "--checkpoint", checkpoint, "--episodes", "3", "--json", json, "--set", "Torch:Threads=1");
            Assert.True(exit == 0, stdout + stderr);
            using var result = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal("tabletop-push", result.RootElement.GetProperty("environment").GetString());
            // The policy's own tasks are posed (0, 1, 2), each episode runs to its end.
            Assert.Equal([0, 1, 2], result.RootElement.GetProperty("episodes").EnumerateArray().Select(e => e.GetProperty("task").GetInt32()));
            Assert.All(result.RootElement.GetProperty("episodes").EnumerateArray(), e => Assert.InRange(e.GetProperty("steps").GetInt32(), 1, 200));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task The_recipe_of_the_shipped_checkpoint_still_runs()
    {
        string out_ = Path.Combine(Path.GetTempPath(), "demo-checkpoint-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(RepoRoot(), "tools", "quality", "demo_checkpoint.sh"));
            psi.ArgumentList.Add(out_);
            psi.Environment["STEPS"] = "3";
            psi.Environment["EPISODES"] = "6";
            psi.Environment["ROBOTICS"] = $"dotnet {CliProcess.ProgramPath}";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await stdout + await stderr);
            foreach (var file in new[] { "config.json", "model.safetensors", "normalization.json", "recipe.json" })
                Assert.True(File.Exists(Path.Combine(out_, file)), $"{file} missing from the recipe's output");
            Assert.False(Directory.Exists(Path.Combine(out_, "training")), "the shipped folder keeps only what inference needs");
            var (exit, evalOut, evalErr) = await CliProcess.RunAsync(null, "eval", "--checkpoint", out_, "--episodes", "1", "--set", "Torch:Threads=1");
            Assert.True(exit == 0, evalOut + evalErr);
        }
        finally
        {
            if (Directory.Exists(out_))
                Directory.Delete(out_, true);
        }
    }
}
