using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Cli.Commands.Serve;
using Robotics.Control.Metrics;
using Robotics.Control.Policies;
using Robotics.Control.Services;
using Robotics.Control.StateMachine;
using Robotics.Transport.Security;

namespace Robotics.Cli.Tests;

/// <summary>serve / robot-sim / keys as real processes; the simulated robot is the real tabletop-push MuJoCo scene.</summary>
public sealed class ControlCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("control-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task KeysGenerateWritesAPublicAndAPrivateCertificate()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "keys", "generate", "--name", "arm", "--out", _dir);
        Assert.True(exit == 0, stderr);
        var pair = CurveKeyFile.Read(Path.Combine(_dir, "arm.key_secret"));
        Assert.Equal(pair.PublicKey, CurveKeyFile.Read(Path.Combine(_dir, "arm.key")).PublicKey);
        Assert.Null(CurveKeyFile.Read(Path.Combine(_dir, "arm.key")).SecretKey);
        Assert.Contains(pair.PublicKey, stdout);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "arm.key_secret")));
    }

    [Fact]
    public async Task ServeRefusesANonLoopbackBindWithoutKeys()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "serve", "--bind", "tcp://0.0.0.0:5599", "--policy", "fixed-cost");
        Assert.NotEqual(0, exit);
        Assert.Contains("not a loopback address", stdout + stderr);
    }

    [Fact]
    public async Task KilledRobotSimProcessStopsTheHostAndARestartedOneIsHeldUntilAnOperatorResumes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:Bind"] = "tcp://127.0.0.1:0",
            ["Transport:PeerTimeoutMs"] = "3000",
            ["Control:RateHz"] = "50",
            ["Control:WatchdogTimeoutMs"] = "1000",
            ["Control:MetricsLogIntervalSeconds"] = "0",
        }).Build();
        using var policy = new FixedCostPolicy(31, 2, TimeSpan.Zero, value: 0.2f);
        using var host = ControlHostFactory.Build(configuration, NullLoggerFactory.Instance, policy);
        await host.StartAsync();
        var metrics = host.Services.GetRequiredService<ControlMetrics>();
        var state = host.Services.GetRequiredService<ControlStateMachine>();
        string endpoint = host.Services.GetRequiredService<RobotLink>().Endpoint.BoundEndpoint;
        try
        {
            using (var first = StartRobotSim(endpoint))
            {
                Assert.True(WaitFor(() => metrics.LatencySince(0).Index > 20, 30_000), "first robot-sim got no actions");
                first.Kill(entireProcessTree: true); // mid-episode, no goodbye
                first.WaitForExit(5000);
            }

            Assert.True(WaitFor(() => state.State == ControlState.Stopped, 10_000), $"state {state.State}");
            Assert.Contains("watchdog", state.LastReason);
            int actionsWhenStopped = metrics.LatencySince(0).Index;

            using var second = StartRobotSim(endpoint);
            try
            {
                // The stop is latched: the restarted robot connects and reports, but gets no actions.
                Assert.True(WaitFor(() => host.Services.GetRequiredService<RobotLink>().Latest is not null, 30_000), "restarted robot-sim never reported");
                await Task.Delay(1000);
                Assert.Equal(ControlState.Stopped, state.State);
                Assert.Equal(actionsWhenStopped, metrics.LatencySince(0).Index);

                // `robotics operator resume` lifts it.
                var (exit, stdout, stderr) = await CliProcess.RunAsync(null, "operator", "resume", "--connect", endpoint);
                Assert.True(exit == 0, stdout + stderr);
                Assert.Contains("resume accepted", stdout);
                Assert.True(WaitFor(() => metrics.LatencySince(0).Index > actionsWhenStopped + 20, 30_000), $"restarted robot-sim got no actions after resume; state {state.State}");
                Assert.Equal(ControlState.Running, state.State);
            }
            finally
            {
                second.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static Process StartRobotSim(string endpoint)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliProcess.ProgramPath, "robot-sim", "--connect", endpoint, "--env", "tabletop-push", "--hold-timeout-ms", "1000" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool WaitFor(Func<bool> condition, int timeoutMs)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (condition())
                return true;
            Thread.Sleep(20);
        }

        return condition();
    }
}
