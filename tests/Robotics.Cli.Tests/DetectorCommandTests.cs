using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>`robotics detector collect | train | eval | inspect` as a user runs them, on the shipped demo policy (small).</summary>
public sealed class DetectorCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("detector-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CollectTrainEvalAndInspectProduceACalibratedDetectorAndAReport()
    {
        string corpus = Path.Combine(_dir, "f.h5"), detector = Path.Combine(_dir, "safe"), report = Path.Combine(_dir, "report");
        var threads = new[] { "--set", "Torch:Threads=1" };
        var collect = await CliProcess.RunAsync(null, ["detector", "collect", "--checkpoint", Checkout.DemoCheckpoint, "--env", "tabletop-push-fixed", "--tasks", "0,1,2",
            "--episodes-per-task", "8", "--failures", "0.5", "--samples-per-call", "2", "--out", corpus, .. threads]);
        Assert.True(collect.ExitCode == 0, collect.Stdout + collect.Stderr);
        Assert.Contains("wrote", collect.Stdout);

        var train = await CliProcess.RunAsync(null, ["detector", "train", "--corpus", corpus, "--out", detector, "--grid", "small", "--epochs", "5", .. threads]);
        Assert.True(train.ExitCode == 0, train.Stdout + train.Stderr);
        Assert.True(File.Exists(Path.Combine(detector, "detector.json")));

        var inspect = await CliProcess.RunAsync(null, "detector", "inspect", detector);
        Assert.True(inspect.ExitCode == 0, inspect.Stdout + inspect.Stderr);
        Assert.Contains("alpha 0.05", inspect.Stdout);

        var eval = await CliProcess.RunAsync(null, ["detector", "eval", "--detector", detector, "--corpus", corpus, "--out", report, "--resamples", "50", .. threads]);
        Assert.True(eval.ExitCode == 0, eval.Stdout + eval.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var methods = json.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()).ToArray();
        Assert.StartsWith("safe-", methods[0]);
        Assert.Contains("stac", methods);
        Assert.Contains("sample-variance", methods);
        Assert.True(new FileInfo(Path.Combine(report, "scores-val-unseen.png")).Length > 5_000);

        // A missing corpus is a usage error that names the file.
        var wrong = await CliProcess.RunAsync(null, "detector", "train", "--corpus", Path.Combine(_dir, "missing.h5"), "--out", Path.Combine(_dir, "x"));
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("missing.h5", wrong.Stdout + wrong.Stderr);
    }
}
