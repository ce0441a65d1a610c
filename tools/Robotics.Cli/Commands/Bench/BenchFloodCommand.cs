using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Robotics.Cli.Commands.RobotSim;
using Robotics.Cli.Commands.Serve;
using Robotics.Cli.Hosting;
using Robotics.Control.Metrics;
using Robotics.Control.Services;
using Robotics.Core.IO;
using Robotics.Core.Policies;
using Robotics.Transport.Security;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench flood</c>: a legitimate robot (robot-sim, its own process) runs against the control host in this
/// process, first alone, then while a pyzmq attacker (tools/python/zmq_flood.py, another process) floods the host
/// from several connections with large frames and never says hello. Reports the robot's step rate in both phases
/// (their ratio is the figure; goal: at least 90%) and this process's resident memory during the flood (goal: under
/// 256 MiB), in plaintext mode and in secured mode (where the attacker's connections hold no allowed key).
/// </summary>
public static class BenchFloodCommand
{
    private const string Resource = "zmq_flood.py";
    private static readonly Option<double> Seconds = new("--seconds") { Description = "Length of each phase (alone, flooded).", DefaultValueFactory = _ => 10 };
    private static readonly Option<double> SizeMib = new("--size-mib") { Description = "Size of each flood frame in MiB.", DefaultValueFactory = _ => 15 };
    private static readonly Option<int> Connections = new("--connections") { Description = "Attacker connections.", DefaultValueFactory = _ => 2 };
    private static readonly Option<double> Rate = new("--rate") { Description = "Control rate in Hz.", DefaultValueFactory = _ => 50 };
    private static readonly Option<string> Modes = new("--modes") { Description = "plaintext, secured or both (comma-separated).", DefaultValueFactory = _ => "plaintext,secured" };
    private static readonly Option<string> Out = new("--out") { Description = "Also write the figures as JSON here." };

    public static Command Create()
    {
        var command = new Command("flood", "A robot's step rate and the host's memory while an attacker floods the host with large frames before hello, against the same robot alone.");
        foreach (var option in new Option[] { Seconds, SizeMib, Connections, Rate, Modes, Out })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var ct = context.CancellationToken;
            double seconds = parse.GetValue(Seconds), size = parse.GetValue(SizeMib), rate = parse.GetValue(Rate);
            int connections = parse.GetValue(Connections);
            if (seconds is < 1 or > 600 || size is <= 0 or > 512 || connections is < 1 or > 64 || rate is < 5 or > 100)
                throw new CommandLineException("--seconds in [1, 600], --size-mib in (0, 512], --connections in [1, 64], --rate in [5, 100].");
            var modes = parse.GetValue(Modes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (modes.Length == 0 || modes.Any(m => m is not ("plaintext" or "secured")))
                throw new CommandLineException("--modes takes plaintext, secured or both.");
            if (!File.Exists("/usr/bin/python3"))
                throw new CommandLineException("bench flood runs its attacker with /usr/bin/python3 (python3-zmq): run make deps.");

            var results = new List<FloodResult>();
            foreach (string mode in modes)
                results.Add(await context.WithProgressAsync($"flood: {mode}", progress => RunMode(context, mode == "secured", seconds, size, connections, rate, progress, ct)));

            var table = new Table().AddColumns("mode", "alone /s", "flooded /s", "ratio", "RSS MiB", "sent", "unread", "refused");
            foreach (var r in results)
            {
                table.AddRow(r.Mode, $"{r.RateAlone:F1}", $"{r.RateFlooded:F1}", $"{r.Ratio:F3}", $"{r.RssMaxMib:F0}", $"{r.FramesSent}", $"{r.Oversized}", $"{r.HandshakesRefused}");
            }

            context.Console.Write(table);
            foreach (var r in results)
                context.Console.MarkupLineInterpolated($"{r.Mode}: step rate ratio {r.Ratio:F3} (goal >= 0.90: {(r.Ratio >= 0.9 ? "met" : "NOT met")}), host RSS max {r.RssMaxMib:F0} MiB (goal < 256: {(r.RssMaxMib < 256 ? "met" : "NOT met")})");
            context.Console.MarkupLine("alone/flooded: robot steps per second; sent: flood frames the attacker handed to libzmq; unread: frames the host dropped without copy or decode (before hello); refused: handshakes the ZAP handler refused.");
            context.Console.MarkupLineInterpolated($"{connections} attacker connections x {size:0.#} MiB frames, {seconds:0.#} s per phase, load average {LoadAverage()}. RSS: this process (host + CLI), sampled every 50 ms during the flood; RSS before the flood: {string.Join(", ", results.Select(r => $"{r.Mode} {r.RssBeforeMib:F0} MiB"))}.");
            if (parse.GetValue(Out) is { } outPath)
                AtomicFile.WriteAllText(outPath, JsonSerializer.Serialize(results, MetricsWriter.Json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<FloodResult> RunMode(CommandContext context, bool secured, double seconds, double sizeMib, int connections, double rate,
        IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        string keys = Directory.CreateTempSubdirectory("robotics-flood-keys-").FullName;
        try
        {
            var server = CurveKeyPair.Generate();
            var robot = CurveKeyPair.Generate();
            CurveKeyFile.Write(keys, "server", server);
            CurveKeyFile.Write(keys, "robot", robot);
            var settings = new Dictionary<string, string?>
            {
                ["Transport:Bind"] = "tcp://127.0.0.1:0",
                ["Control:RateHz"] = rate.ToString(CultureInfo.InvariantCulture),
                ["Control:Monitor"] = "none",
                ["Control:MetricsLogIntervalSeconds"] = "0",
                ["Control:WatchdogTimeoutMs"] = "2000",
            };
            if (secured)
            {
                settings["Transport:ServerSecretKey"] = server.SecretKey;
                settings["Transport:RobotKeys:0"] = robot.PublicKey;
            }

            var configuration = new ConfigurationBuilder().AddConfiguration(context.Configuration).AddInMemoryCollection(settings).Build();
            using IChunkPolicy policy = PolicySources.Create(new ServingOptions { Policy = "fixed-cost", Env = "tabletop-push", CostMs = 2 }, () => context.StartTorch().Device);
            using var host = ControlHostFactory.Build(configuration, context.LoggerFactory, policy);
            await host.StartAsync(ct);
            var metrics = host.Services.GetRequiredService<ControlMetrics>();
            var endpoint = host.Services.GetRequiredService<RobotLink>().Endpoint;
            string[] keyArgs = secured ? ["--server-key", Path.Combine(keys, "server.key"), "--client-key", Path.Combine(keys, "robot.key_secret")] : [];
            using var robotSim = RobotSimProcess.Start(endpoint.BoundEndpoint, ["--env", "tabletop-push", "--hold-timeout-ms", "2000", .. keyArgs]);
            try
            {
                // Warm up until actions flow, then measure alone, then flooded.
                var warm = Stopwatch.StartNew();
                while (metrics.LatencySince(0).Index < 50)
                {
                    if (robotSim.HasExited)
                        throw new InvalidOperationException($"robot-sim exited ({robotSim.ExitCode}): {robotSim.Output}");
                    if (warm.Elapsed > TimeSpan.FromSeconds(60))
                        throw new TimeoutException("the robot did not start within 60 s");
                    await Task.Delay(50, ct);
                }

                progress.Report(new("phase", 0, 2));
                double rssBefore = RssMib();
                double alone = await StepRate(metrics, seconds, null, ct);
                progress.Report(new("phase", 1, 2));
                using var attacker = StartAttacker(endpoint.BoundEndpoint, connections, sizeMib, seconds + 1, secured ? server.PublicKey : null);
                await Task.Delay(500, ct); // let the connections open and the flood start
                double rssMax = 0;
                double flooded = await StepRate(metrics, seconds, () => rssMax = Math.Max(rssMax, RssMib()), ct);
                await attacker.WaitForExitAsync(ct);
                string output = await attacker.StandardOutput.ReadToEndAsync(ct);
                long frames = output.Length > 0 && output.TrimStart().StartsWith('{')
                    ? JsonDocument.Parse(output).RootElement.GetProperty("frames").EnumerateArray().Sum(e => e.GetInt64())
                    : -1;
                progress.Report(new("phase", 2, 2));
                return new FloodResult(secured ? "secured" : "plaintext", alone, flooded, flooded / alone, rssBefore, rssMax, frames,
                    endpoint.Counters.Oversized, endpoint.Counters.Unauthorized);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(keys, recursive: true);
        }
    }

    /// <summary>Control cycles that sent an action, per second, over <paramref name="seconds"/>; <paramref name="sample"/> runs every 50 ms.</summary>
    private static async Task<double> StepRate(ControlMetrics metrics, double seconds, Action? sample, CancellationToken ct)
    {
        int start = metrics.LatencySince(0).Index;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            sample?.Invoke();
            await Task.Delay(50, ct);
        }

        return (metrics.LatencySince(0).Index - start) / clock.Elapsed.TotalSeconds;
    }

    private static Process StartAttacker(string endpoint, int connections, double sizeMib, double seconds, string? serverKey)
    {
        string script = Path.Combine(Path.GetTempPath(), $"robotics-{Resource}");
        using (var stream = typeof(BenchFloodCommand).Assembly.GetManifestResourceStream(Resource) ?? throw new InvalidOperationException($"{Resource} is not embedded"))
        using (var file = File.Create(script))
            stream.CopyTo(file);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { script, endpoint, "--connections", connections.ToString(CultureInfo.InvariantCulture), "--size-mib", sizeMib.ToString(CultureInfo.InvariantCulture),
                     "--seconds", seconds.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        if (serverKey is not null)
        {
            info.ArgumentList.Add("--server-key");
            info.ArgumentList.Add(serverKey);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the attacker");
    }

    private static double RssMib()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }

        return double.NaN;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>One mode of <c>bench flood</c>: the robot's rate alone and flooded, and the host's memory.</summary>
public sealed record FloodResult(string Mode, double RateAlone, double RateFlooded, double Ratio, double RssBeforeMib, double RssMaxMib, long FramesSent,
    long Oversized, long HandshakesRefused);
