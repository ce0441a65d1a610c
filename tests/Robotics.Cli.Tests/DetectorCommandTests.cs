using System.Text.Json;

namespace Robotics.Cli.Tests;

/// <summary>`robotics detector collect | train | calibrate | eval | inspect` as a user runs them, on the shipped demo policy (small).</summary>
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

        // Recalibration: a higher alpha (0.5: the calibration set here is small, so 0.05 and 0.3 share the top rank) gives a band nowhere above the old one; fresh successes recalibrate on all of them.
        string loose = Path.Combine(_dir, "safe-loose"), fresh = Path.Combine(_dir, "safe-fresh");
        var calibrate = await CliProcess.RunAsync(null, ["detector", "calibrate", "--detector", detector, "--corpus", corpus, "--alpha", "0.5", "--out", loose, .. threads]);
        Assert.True(calibrate.ExitCode == 0, calibrate.Stdout + calibrate.Stderr);
        var (tight, tightRollouts) = Band(detector);
        var (looser, looseRollouts) = Band(loose);
        Assert.Equal(tightRollouts, looseRollouts);
        Assert.Equal(tight.Length, looser.Length);
        Assert.All(tight.Zip(looser), p => Assert.True(p.Second <= p.First + 1e-12, $"band at alpha 0.5 ({p.Second}) above the band at 0.05 ({p.First})"));
        Assert.True(looser.Zip(tight).Any(p => p.First < p.Second), "alpha 0.5 should lower the band somewhere");
        Assert.Contains("alpha 0.5", (await CliProcess.RunAsync(null, "detector", "inspect", loose)).Stdout);
        var onSuccesses = await CliProcess.RunAsync(null, ["detector", "calibrate", "--detector", detector, "--corpus", corpus, "--on", "successes", "--out", fresh, .. threads]);
        Assert.True(onSuccesses.ExitCode == 0, onSuccesses.Stdout + onSuccesses.Stderr);
        Assert.True(Band(fresh).Rollouts > tightRollouts, "every successful rollout of the corpus, not only val_seen's");
        var badAlpha = await CliProcess.RunAsync(null, "detector", "calibrate", "--detector", detector, "--corpus", corpus, "--alpha", "1.5");
        Assert.Equal(2, badAlpha.ExitCode);
        Assert.Contains("--alpha", badAlpha.Stdout + badAlpha.Stderr);

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

    private static (double[] Band, int Rollouts) Band(string detector)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(detector, "detector.json")));
        var calibration = json.RootElement.GetProperty("calibration");
        return (calibration.GetProperty("band").GetProperty("band").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            calibration.GetProperty("calibrationRollouts").GetInt32());
    }
}
