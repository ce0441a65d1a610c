using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Cli.Commands.RobotSim;
using Robotics.Cli.Commands.Serve;
using Robotics.Control.Metrics;
using Robotics.Control.StateMachine;
using Robotics.Core.Monitoring;
using Robotics.Detectors.Calibration;
using Robotics.Detectors.Data;
using Robotics.Detectors.Torch.Checkpoints;
using Robotics.Detectors.Torch.Monitoring;
using Robotics.Detectors.Torch.Pipeline;
using Robotics.Detectors.Torch.Safe;
using Robotics.Policies.Runtime;
using Robotics.Torch;

namespace Robotics.Cli.Tests;

/// <summary>The SAFE monitor live: in a real control host driving a robot-sim process, and on its own.</summary>
public sealed class SafeMonitorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("safe-monitor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A SAFE-MLP fitted on random features of the policy's width, saved with <paramref name="band"/> as its calibration.</summary>
    private string Detector(string name, string layout, FunctionalConformalBand band, int features = 64)
    {
        var random = new Random(1);
        FeatureRollout Rollout(int i) => new($"r{i}", 0, i % 2 == 0, 80, Enumerable.Range(0, 10).Select(c => c * 8).ToArray(),
            Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, features).Select(_ => (float)random.NextDouble()).ToArray()).ToArray());
        using var detector = SafeDetector.Create(new SafeDetectorOptions(SafeDetectorKinds.Mlp, Hidden: 16, Epochs: 2));
        detector.Fit(Enumerable.Range(0, 8).Select(Rollout).ToArray());
        string folder = Path.Combine(_dir, name);
        DetectorCheckpoint.Save(folder, detector, new DetectorCheckpointExtras(layout, new DetectorCalibration(band, 0, [], 4).ToJson()));
        return folder;
    }

    private static FunctionalConformalBand Flat(double level) => new(0.05, [level], [1e-8], 0);

    [Fact]
    public async Task TheDetectorsAlarmStopsARealRobotSimAndACleanBandLetsItRun()
    {
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
        // The MLP's cumulative score of sigmoids is > 0 from the first call: a band at -1 alarms at once, one at 1e9 never.
        foreach (var (band, expectAlarm) in new[] { (Flat(-1), true), (Flat(1e9), false) })
        {
            // The host owns (and disposes) the policy it serves: one per host.
            var policy = TorchChunkPolicy.Load(Checkout.DemoCheckpoint, "cpu");
            using var monitor = SafeFailureMonitor.Load(Detector($"d{expectAlarm}", policy.FeatureLayout, band), policy.FeatureLayout);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Transport:Bind"] = "tcp://127.0.0.1:0",
                ["Control:RateHz"] = "50",
                ["Control:WatchdogTimeoutMs"] = "5000",
                ["Control:MetricsLogIntervalSeconds"] = "0",
            }).Build();
            using var host = ControlHostFactory.Build(configuration, NullLoggerFactory.Instance, policy, monitor);
            await host.StartAsync();
            var state = host.Services.GetRequiredService<ControlStateMachine>();
            var metrics = host.Services.GetRequiredService<ControlMetrics>();
            string endpoint = host.Services.GetRequiredService<Robotics.Control.Services.RobotLink>().Endpoint.BoundEndpoint;
            Assert.Same(monitor, host.Services.GetRequiredService<IFailureMonitor>());
            using var robot = RobotSimProcess.Start(endpoint, "--env", "tabletop-push", "--tasks", "0", "--hold-timeout-ms", "2000");
            try
            {
                var clock = Stopwatch.StartNew();
                if (expectAlarm)
                {
                    while (state.State != ControlState.Stopped && clock.Elapsed < TimeSpan.FromSeconds(60))
                        await Task.Delay(50);
                    Assert.Equal(ControlState.Stopped, state.State);
                    Assert.Contains("safe:safe-mlp", state.LastReason);
                    Assert.Contains("reached the conformal band", state.LastReason);
                }
                else
                {
                    while (metrics.LatencySince(0).Index < 60 && clock.Elapsed < TimeSpan.FromSeconds(60))
                        await Task.Delay(50);
                    Assert.True(metrics.LatencySince(0).Index >= 60, $"only {metrics.LatencySince(0).Index} actions; state {state.State}: {state.LastReason}");
                    Assert.DoesNotContain(state.History, t => t.Reason.Contains("safe:", StringComparison.Ordinal));
                }
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }

    [Fact]
    public void ADetectorForAnotherFeatureLayoutIsRefusedSayingWhatDiffers()
    {
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
        string folder = Detector("other", "mode|features=64|width=64|horizon=16", Flat(1));
        var e = Assert.Throws<InvalidDataException>(() => SafeFailureMonitor.Load(folder, "mode|features=64|width=64|horizon=8"));
        Assert.Contains("'horizon=16' vs 'horizon=8'", e.Message);
        Assert.Throws<InvalidDataException>(() => SafeFailureMonitor.Load(folder, null));
        File.WriteAllText(Path.Combine(folder, DetectorCheckpoint.WeightsFile), "not safetensors");
        Assert.Throws<InvalidDataException>(() => SafeFailureMonitor.Load(folder, "mode|features=64|width=64|horizon=16"));
    }

    [Fact]
    public void BadFeatureVectorsAreAlarmsWithAReasonNotExceptions()
    {
        TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = 1 });
        using var monitor = SafeFailureMonitor.Load(Detector("m", "L", Flat(1e9)), "L");
        var ok = monitor.Check(new MonitorInput([0f], [0f], 0, new float[64], 1));
        Assert.False(ok.Alarm);
        Assert.Same(ok, monitor.Check(new MonitorInput([0f], [0f], 1, new float[64], 1))); // same call: same verdict
        var wrong = monitor.Check(new MonitorInput([0f], [0f], 8, new float[10], 2));
        Assert.True(wrong.Alarm);
        Assert.Contains("gave 10 features, the detector reads 64", wrong.Reason);
        monitor.Reset();
        var nan = new float[64];
        nan[3] = float.NaN;
        var bad = monitor.Check(new MonitorInput([0f], [0f], 0, nan, 3));
        Assert.True(bad.Alarm);
        Assert.Contains("feature 3", bad.Reason);
    }
}
