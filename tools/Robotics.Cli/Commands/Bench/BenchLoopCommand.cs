using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Robotics.Cli.Commands.RobotSim;
using Robotics.Cli.Commands.Serve;
using Robotics.Cli.Hosting;
using Robotics.Control.Metrics;
using Robotics.Control.Services;
using Robotics.Core.Arrays;
using Robotics.Core.IO;
using Robotics.Core.Policies;
using Robotics.Protocol.Messages;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench loop</c>: the control loop at 50 Hz between the host and `robot-sim` (a separate process) over
/// tcp loopback, with a fixed-cost stand-in policy and optionally a trained checkpoint; plus the transport overhead as
/// a difference against bare libzmq round trips with the same payloads (plaintext and CURVE), measured in the same run.
/// </summary>
public static class BenchLoopCommand
{
    private static readonly Option<int> Cycles = new("--cycles") { Description = "Control cycles with an action sent, per policy.", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<double> Rate = new("--rate") { Description = "Control rate in Hz.", DefaultValueFactory = _ => 50 };
    private static readonly Option<double> CostMs = new("--cost-ms") { Description = "Busy time per call of the stand-in policy.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> RoundTrips = new("--round-trips") { Description = "Round trips per transport measurement.", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "A trained policy checkpoint to measure as well (robotics train output)." };
    private static readonly Option<string> Env = new("--env") { Description = "Simulated robot.", DefaultValueFactory = _ => "tabletop-push" };
    private static readonly Option<string> Out = new("--out") { Description = "Also write the figures as JSON here." };

    public static Command Create()
    {
        var command = new Command("loop", "Control loop latency/jitter/deadline misses host <-> robot-sim at 50 Hz, and transport overhead vs bare libzmq (plaintext and secured).");
        foreach (var option in new Option[] { Cycles, Rate, CostMs, RoundTrips, Checkpoint, Env, Out })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var ct = context.CancellationToken;
            int cycles = parse.GetValue(Cycles), roundTrips = parse.GetValue(RoundTrips);
            double rate = parse.GetValue(Rate);
            if (cycles < 10 || roundTrips < 10 || rate is < 5 or > 100)
                throw new CommandLineException("--cycles and --round-trips must be >= 10 and --rate in [5, 100].");
            string envId = parse.GetValue(Env)!;
            if (!EnvironmentRegistry.TryGet(envId, out var registration))
                throw new CommandLineException($"--env '{envId}' is not registered.");
            int stateDim, actionDim;
            using (var env = registration.Create())
            {
                stateDim = env.Spec.Observation.Dimension;
                actionDim = env.Spec.Action.Dimension;
            }

            // 1. Transport: identical payloads through bare libzmq and through the protocol stack, plaintext and secured.
            var request = new ActionChunkMessage(1, 0, 0, 1 / rate, NdArray.FromFloats(new float[16 * actionDim], 16, actionDim));
            var reply = new ObservationMessage(0, 1, NdArray.FromFloats(new float[stateDim], stateDim), new Dictionary<string, NdArray>());
            var transport = new Table().AddColumns("round trip, tcp loopback", "p50 ms", "p99 ms", "max ms", "n");
            var overheads = new List<TransportOverhead>();
            foreach (bool secured in new[] { false, true })
            {
                string mode = secured ? "secured (CURVE + ZAP)" : "plaintext";
                var bare = Percentiles.FromNanoseconds(TransportRoundTrip.Bare(TransportRoundTrip.Encoded(request), TransportRoundTrip.Encoded(reply), roundTrips, secured, ct));
                var stack = Percentiles.FromNanoseconds(TransportRoundTrip.Protocol(request, reply, roundTrips, secured, ct));
                transport.AddRow($"bare libzmq ROUTER/DEALER, {mode}", $"{bare.P50:F3}", $"{bare.P99:F3}", $"{bare.Max:F3}", $"{bare.Count}");
                transport.AddRow($"protocol stack, {mode}", $"{stack.P50:F3}", $"{stack.P99:F3}", $"{stack.Max:F3}", $"{stack.Count}");
                overheads.Add(new TransportOverhead(mode, bare, stack));
            }

            context.Console.Write(transport);
            foreach (var o in overheads)
                context.Console.MarkupLineInterpolated($"transport overhead, {o.Mode}: p50 {o.P50OverheadMs:F3} ms, p99 {o.P99OverheadMs:F3} ms; goal p99 overhead < 1 ms: {(o.P99OverheadMs < 1 ? "met" : "NOT met")}");

            // 2. The loop with the stand-in, then (if given) the trained policy.
            var runs = new List<(string Name, MetricsSummary Summary)>();
            var sources = new List<(string Name, ServingOptions Source)>
            {
                ($"stand-in ({parse.GetValue(CostMs):0.#} ms fixed cost)", new ServingOptions { Policy = "fixed-cost", Env = envId, CostMs = parse.GetValue(CostMs) }),
            };
            if (parse.GetValue(Checkpoint) is { } checkpoint)
                sources.Add(("trained checkpoint", new ServingOptions { Policy = "checkpoint", Checkpoint = checkpoint }));
            foreach (var (name, source) in sources)
            {
                var summary = await context.WithProgressAsync($"loop: {name}", progress => RunLoop(context, source, rate, cycles, envId, progress, ct));
                runs.Add((name, summary));
            }

            // Metrics as rows, policies as columns: stays readable in an 80-column terminal.
            var loop = new Table().AddColumn("control loop, tcp loopback");
            foreach (var (name, _) in runs)
                loop.AddColumn(name);
            void Row(string metric, Func<MetricsSummary, string> cell) => loop.AddRow([metric, .. runs.Select(r => cell(r.Summary))]);
            Row("obs -> action p50/p99/max ms", s => $"{s.Latency.P50:F3} / {s.Latency.P99:F3} / {s.Latency.Max:F3}");
            Row("processing p50/p99 ms", s => $"{s.Processing.P50:F3} / {s.Processing.P99:F3}");
            Row("round trip p50/p99 ms", s => $"{s.RoundTrip.P50:F3} / {s.RoundTrip.P99:F3}");
            Row("inference p50/p99 ms", s => $"{s.Inference.P50:F3} / {s.Inference.P99:F3}");
            Row("jitter p50/p99/max ms", s => $"{s.Jitter.P50:F3} / {s.Jitter.P99:F3} / {s.Jitter.Max:F3}");
            Row("deadline misses", s => $"{s.DeadlineMisses} of {s.Cycles} ticks");
            Row("inference overruns", s => $"{s.Overruns}");
            Row("cycles with an action", s => $"{s.Latency.Count}");
            context.Console.Write(loop);
            context.Console.MarkupLine("obs->action includes waiting for the next clock tick (robot-sim answers an action at once, the host acts on the next tick); processing = tick -> action sent; round trip = action sent -> its result observed (both ways over the wire plus the MuJoCo step).");
            if (parse.GetValue(Checkpoint) is null)
                context.Console.MarkupLine("[yellow]trained policy: not measured (pass --checkpoint DIR)[/]");
            if (parse.GetValue(Out) is { } outPath)
                AtomicFile.WriteAllText(outPath, JsonSerializer.Serialize(new { transport = overheads, loops = runs.Select(r => new { r.Name, r.Summary }) }, MetricsWriter.Json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<MetricsSummary> RunLoop(CommandContext context, ServingOptions source, double rate, int cycles, string envId,
        IProgress<Robotics.Core.Progress.ProgressUpdate> progress, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(context.Configuration).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:Bind"] = "tcp://127.0.0.1:0",
            ["Control:RateHz"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Control:Monitor"] = "none",
            ["Control:MetricsLogIntervalSeconds"] = "0",
            ["Control:WatchdogTimeoutMs"] = "2000",
        }).Build();
        using IChunkPolicy policy = PolicySources.Create(source, () => context.StartTorch().Device);
        using var host = ControlHostFactory.Build(configuration, context.LoggerFactory, policy);
        await host.StartAsync(ct);
        var metrics = host.Services.GetRequiredService<ControlMetrics>();
        string endpoint = host.Services.GetRequiredService<RobotLink>().Endpoint.BoundEndpoint;
        // A trained policy knows only its training tasks; the stand-in takes any.
        string[] tasks = policy.Shape.TaskCount > 1 ? ["--tasks", string.Join(',', Enumerable.Range(0, policy.Shape.TaskCount))] : [];
        using var robot = RobotSimProcess.Start(endpoint, ["--env", envId, "--hold-timeout-ms", "2000", .. tasks]);
        var state = host.Services.GetRequiredService<Robotics.Control.StateMachine.ControlStateMachine>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int done = metrics.LatencySince(0).Index;
                progress.Report(new Robotics.Core.Progress.ProgressUpdate("cycles", done, cycles));
                if (done >= cycles)
                    break;
                if (robot.HasExited)
                    throw new InvalidOperationException($"robot-sim exited ({robot.ExitCode}): {robot.Output}");
                if (state.State == Robotics.Control.StateMachine.ControlState.Stopped)
                    throw new InvalidOperationException($"the control host stopped: {state.LastReason}");
                await Task.Delay(200, ct);
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        return metrics.Summarize(rate, "bench");
    }
}

/// <summary>The protocol stack against bare libzmq in one security mode, same payloads, same run.</summary>
public sealed record TransportOverhead(string Mode, Percentiles Bare, Percentiles Stack)
{
    public double P50OverheadMs => Stack.P50 - Bare.P50;

    public double P99OverheadMs => Stack.P99 - Bare.P99;
}
