using System.Diagnostics;
using System.Text.Json;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Policies.Runtime;

namespace Robotics.Cli.Tests;

/// <summary>
/// The demo ships a SAFE detector for its MoDE checkpoint, made by `make demo-detector`: it must read the shipped
/// policy's features (the host refuses it otherwise), and the recipe that made it must still run (small, into a
/// temporary folder).
/// </summary>
public sealed class DemoDetectorTests
{
    private static string ShippedDetector => Path.Combine(Checkout.Root, "policies", "checkpoints", "demo-mode-detector");

    [Fact]
    public void The_shipped_detector_reads_the_shipped_policys_features_and_names_its_recipe()
    {
        var manifest = DetectorCheckpoint.LoadManifest(ShippedDetector);
        using (var policy = TorchChunkPolicy.Load(Checkout.DemoCheckpoint, "cpu"))
            Assert.Equal(policy.FeatureLayout, manifest.FeatureLayout);
        Assert.NotNull(manifest.Calibration);
        using var recipe = JsonDocument.Parse(File.ReadAllText(Path.Combine(ShippedDetector, "recipe.json")));
        Assert.Equal("policies/checkpoints/demo-mode", recipe.RootElement.GetProperty("policy").GetString());
        Assert.Equal("tabletop-push-fixed", recipe.RootElement.GetProperty("data").GetProperty("env").GetString());
        Assert.Equal(3, recipe.RootElement.GetProperty("commands").GetArrayLength());
    }

    [Fact]
    public async Task The_recipe_of_the_shipped_detector_still_runs()
    {
        string out_ = Path.Combine(Path.GetTempPath(), "demo-detector-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Checkout.Root };
            psi.ArgumentList.Add(Path.Combine(Checkout.Root, "tools", "quality", "demo_detector.sh"));
            psi.ArgumentList.Add(out_);
            psi.Environment["EPISODES_PER_TASK"] = "10";
            psi.Environment["GRID"] = "small";
            psi.Environment["ROBOTICS"] = $"dotnet {CliProcess.ProgramPath}";
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await stdout + await stderr);
            foreach (var file in new[] { "detector.json", "model.safetensors", "recipe.json", "report/report.md" })
                Assert.True(File.Exists(Path.Combine(out_, file)), $"{file} missing from the recipe's output");
            var inspect = await CliProcess.RunAsync(null, "detector", "inspect", out_);
            Assert.True(inspect.ExitCode == 0, inspect.Stdout + inspect.Stderr);
        }
        finally
        {
            if (Directory.Exists(out_))
                Directory.Delete(out_, true);
        }
    }
}
