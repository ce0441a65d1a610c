using System.CommandLine;
using System.Globalization;
using Robotics.Cli.Hosting;
using Robotics.Policies.Benchmarks;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench policy</c>: batch-1 chunk latency of MoDE cached, MoDE uncached and the dense transformer of
/// equal active parameters, as ratios measured in the same run, and training samples per second.
/// </summary>
public static class BenchPolicyCommand
{
    private static readonly Option<int> Width = new("--width") { Description = "Model width.", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> Layers = new("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> Experts = new("--experts") { Description = "Experts per block.", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> TopK = new("--top-k") { Description = "Experts per token.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Steps = new("--sampling-steps") { Description = "Denoising steps per chunk.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Timed inferences per variant.", DefaultValueFactory = _ => 50 };
    private static readonly Option<int> TrainSteps = new("--train-steps") { Description = "Timed training steps per variant.", DefaultValueFactory = _ => 20 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Training batch size.", DefaultValueFactory = _ => 64 };
    private static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: its default).", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var command = new Command("policy", "MoDE inference latency with and without expert caching vs the dense transformer, and training throughput.");
        foreach (var option in new Option[] { Width, Layers, Experts, TopK, Steps, Repeats, TrainSteps, BatchSize, Threads })
            command.Options.Add(option);
        command.SetHandler(async (ctx, parse) =>
        {
            var info = TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = parse.GetValue(Threads) });
            var bench = new PolicyBenchmark(parse.GetValue(Width), parse.GetValue(Layers), parse.GetValue(Experts), parse.GetValue(TopK), 31, 2, parse.GetValue(Steps));
            var results = await ctx.WithProgressAsync("bench policy", progress =>
                Task.Run(() => bench.Run(parse.GetValue(Repeats), parse.GetValue(TrainSteps), parse.GetValue(BatchSize), progress, ctx.CancellationToken))).ConfigureAwait(false);
            double uncached = results.Single(r => r.Variant == "mode-uncached").MedianMs;
            var table = new Table().AddColumns("variant", "median ms / chunk", "p10-p90 ms", "speed vs uncached", "train samples/s", "params total", "params active");
            foreach (var r in results)
            {
                table.AddRow(r.Variant, r.MedianMs.ToString("0.00", CultureInfo.InvariantCulture),
                    $"{r.P10Ms.ToString("0.00", CultureInfo.InvariantCulture)}-{r.P90Ms.ToString("0.00", CultureInfo.InvariantCulture)}",
                    (uncached / r.MedianMs).ToString("0.00x", CultureInfo.InvariantCulture), r.TrainSamplesPerSecond.ToString("0", CultureInfo.InvariantCulture),
                    r.TotalParameters.ToString("N0", CultureInfo.InvariantCulture), r.ActiveParameters.ToString("N0", CultureInfo.InvariantCulture));
            }

            ctx.Console.MarkupLineInterpolated($"batch 1, {parse.GetValue(Steps)} denoising steps, width {parse.GetValue(Width)}, {parse.GetValue(Layers)} blocks, {parse.GetValue(Experts)} experts top-{parse.GetValue(TopK)}; {info.Threads} thread(s), {info.Backend}");
            ctx.Console.Write(table);
            ctx.Console.MarkupLineInterpolated($"max |cached - uncached| on the same inputs and noise: {bench.MaxCachedDifference:E2} (must be < 1e-4)");
            return bench.MaxCachedDifference < 1e-4 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
