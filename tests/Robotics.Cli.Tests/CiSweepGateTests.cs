namespace Robotics.Cli.Tests;

/// <summary>
/// The CI sweep (sweeps/ci.json: the scripted expert and the shipped demo policy, nominal and with a shove) run
/// through the real command line and gated against sweeps/ci-baseline.json: a change that makes a policy worse
/// with 95% family-wise confidence fails the test suite. `make sweep-ci` runs the same with a report.
/// </summary>
public sealed class CiSweepGateTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("sweep-ci-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task TheCiSweepPassesItsGateAgainstTheCommittedBaseline()
    {
        string root = Checkout.Root;
        var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "sweep", "run", Path.Combine(root, "sweeps", "ci.json"), "--out", _out);
        Assert.True(exit == 0, stdout + stderr);
        var gate = await CliProcess.RunAsync(null, "sweep", "check", _out, "--baseline", Path.Combine(root, "sweeps", "ci-baseline.json"));
        Assert.True(gate.ExitCode == 0, gate.Stdout + gate.Stderr);
        Assert.Contains("gate: passed", gate.Stdout);
        Assert.DoesNotContain("in the baseline but not in this run", gate.Stdout);
    }
}
