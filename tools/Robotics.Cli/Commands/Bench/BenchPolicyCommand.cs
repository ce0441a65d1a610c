using Robotics.Policies.Mode;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Policies.Benchmarks;
using Robotics.Torch;
using Spectre.Console;
using TorchSharp;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench policy</c>, for each thread count: batch-1 chunk latency of MoDE cached, MoDE uncached and the
/// dense transformer of equal active parameters, and training samples per second; each as a ratio against the same
/// network and step in PyTorch (tools/python/policy_bench_torch.py) run in the same invocation, and the achieved
/// training GFLOP/s against a plain GEMM of the model's expert size measured in the same run.
/// </summary>
public static class BenchPolicyCommand
{
    private static readonly Option<int> Width = new("--width") { Description = "Model width.", DefaultValueFactory = _ => 64 };
    private static readonly Option<int> Layers = new("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> Experts = new("--experts") { Description = "Experts per block.", DefaultValueFactory = _ => 4 };
    private static readonly Option<int> TopK = new("--top-k") { Description = "Experts per token.", DefaultValueFactory = _ => 2 };
    private static readonly Option<int> Steps = new("--sampling-steps") { Description = "Denoising steps per chunk.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Repeats = new("--repeats") { Description = "Timed inferences per variant.", DefaultValueFactory = _ => 50 };
    private static readonly Option<int> TrainSteps = new("--train-steps") { Description = "Timed training steps per variant.", DefaultValueFactory = _ => 30 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Training batch size.", DefaultValueFactory = _ => 64 };
    private static readonly Option<string> Threads = new("--threads") { Description = "Comma-separated libtorch thread counts to measure.", DefaultValueFactory = _ => "1,2" };
    private static readonly Option<bool> NoTorch = new("--no-pytorch") { Description = "Skip the PyTorch reference." };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write every figure to this JSON file." };

    public static Command Create()
    {
        var command = new Command("policy", "MoDE training throughput and chunk latency (cached, uncached, dense) against PyTorch and the GEMM ceiling, per thread count.");
        foreach (var option in new Option[] { Width, Layers, Experts, TopK, Steps, Repeats, TrainSteps, BatchSize, Threads, NoTorch, Json })
            command.Options.Add(option);
        command.SetHandler(async (ctx, parse) =>
        {
            var threadCounts = parse.GetValue(Threads)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.TryParse(t, out int n) && n > 0 ? n : throw new CommandLineException($"--threads: '{t}' is not a positive thread count.")).ToArray();
            var info = TorchRuntime.Initialize(new TorchRuntimeOptions { Threads = threadCounts[0] });
            var bench = new PolicyBenchmark(parse.GetValue(Width), parse.GetValue(Layers), parse.GetValue(Experts), parse.GetValue(TopK), 31, 2, parse.GetValue(Steps));
            int batch = parse.GetValue(BatchSize), repeats = parse.GetValue(Repeats), trainSteps = parse.GetValue(TrainSteps);
            var moe = bench.ModeConfig;
            long rows = (long)batch * ModeFlops.Tokens(moe);
            bool ok = true;
            var report = new List<object>();
            foreach (int threads in threadCounts)
            {
                torch.set_num_threads(threads);
                var results = await ctx.WithProgressAsync($"bench policy ({threads} thread(s))", progress =>
                    Task.Run(() => bench.Run(repeats, trainSteps, batch, progress, ctx.CancellationToken))).ConfigureAwait(false);
                // The ceiling: the expert up-projection's product at the training batch, same threads, same run.
                double gemm = GemmReference.GigaflopsPerSecond(rows, moe.Width, 2L * moe.Options<ModeOptions>().ExpertHiddenMultiplier * moe.Width);
                var mirrors = new Dictionary<string, JsonElement?>();
                string? skipped = null;
                if (!parse.GetValue(NoTorch))
                {
                    foreach (var (name, config) in new[] { ("mode", moe), ("dense", bench.DenseConfig) })
                    {
                        var (result, why) = await Task.Run(() => TorchMirror.Run(config, batch, trainSteps, Math.Max(5, repeats / 2), threads, ctx.CancellationToken)).ConfigureAwait(false);
                        mirrors[name] = result;
                        skipped ??= why;
                    }
                }

                Render(ctx, parse, threads, info.Backend, results, gemm, mirrors, skipped, bench, batch, report);
                ok &= bench.MaxCachedDifference < 1e-4;
            }

            if (parse.GetValue(Json) is string json)
                Robotics.Core.IO.AtomicFile.WriteAllText(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            return ok ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void Render(CommandContext ctx, ParseResult parse, int threads, string backend, IReadOnlyList<PolicyBenchmarkResult> results, double gemm,
        Dictionary<string, JsonElement?> mirrors, string? skipped, PolicyBenchmark bench, int batch, List<object> report)
    {
        string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);
        double uncached = results.Single(r => r.Variant == "mode-uncached").MedianMs;
        var latency = new Table().AddColumns("chunk (batch 1)", "ms median", "p10-p90", "vs uncached", "PyTorch ms", "PyTorch / ours");
        var training = new Table().AddColumns("training", "samples/s", "PyTorch", "ours / PyTorch", "GFLOP/s", "of GEMM", "params (active)");
        foreach (var r in results)
        {
            var config = r.Variant == "dense" ? bench.DenseConfig : bench.ModeConfig;
            var mirror = mirrors.GetValueOrDefault(r.Variant == "dense" ? "dense" : "mode");
            double? torchMs = mirror?.GetProperty(r.Variant == "mode-uncached" ? "latency_uncached_ms_p50" : "latency_cached_ms_p50").GetDouble();
            double? torchTrain = mirror?.GetProperty("train_samples_per_s").GetDouble();
            double gflops = r.TrainSamplesPerSecond / batch * ModeFlops.TrainingStepFlops(config, batch) / 1e9;
            latency.AddRow(r.Variant, F(r.MedianMs), $"{F(r.P10Ms)}-{F(r.P90Ms)}", F(uncached / r.MedianMs, "0.00x"),
                torchMs is double t ? F(t) : "-", torchMs is double t2 ? F(t2 / r.MedianMs, "0.00x") : "-");
            if (r.Variant != "mode-uncached") // training does not use the expert cache: one row per network
            {
                training.AddRow(r.Variant == "dense" ? "dense" : "mode", F(r.TrainSamplesPerSecond, "0"), torchTrain is double s ? F(s, "0") : "-",
                    torchTrain is double s2 ? F(r.TrainSamplesPerSecond / s2, "0.00x") : "-", F(gflops, "0.0"), F(gflops / gemm, "P0"),
                    $"{r.TotalParameters / 1e6:0.00}M ({r.ActiveParameters / 1e6:0.00}M)");
            }

            report.Add(new
            {
                threads, variant = r.Variant, medianMs = r.MedianMs, p10Ms = r.P10Ms, p90Ms = r.P90Ms, trainSamplesPerSecond = r.TrainSamplesPerSecond,
                pytorchMs = torchMs, pytorchTrainSamplesPerSecond = torchTrain, trainGflops = gflops, gemmGflops = gemm,
                totalParameters = r.TotalParameters, activeParameters = r.ActiveParameters,
            });
        }

        ctx.Console.MarkupLineInterpolated($"[bold]{threads} thread(s)[/]: batch 1, {parse.GetValue(Steps)} denoising steps, width {parse.GetValue(Width)}, {parse.GetValue(Layers)} blocks, {parse.GetValue(Experts)} experts top-{parse.GetValue(TopK)}; training batch {batch}; {backend}");
        ctx.Console.Write(latency);
        ctx.Console.Write(training);
        ctx.Console.MarkupLineInterpolated($"GEMM ceiling ({batch}x{ModeFlops.Tokens(bench.ModeConfig)} rows, expert up-projection size): {F(gemm, "0.0")} GFLOP/s; max |cached - uncached|: {bench.MaxCachedDifference:E2} (must be < 1e-4)");
        if (skipped is not null)
            ctx.Console.MarkupLineInterpolated($"PyTorch reference skipped: {skipped}");
        else if (mirrors.GetValueOrDefault("mode") is JsonElement m)
            ctx.Console.MarkupLineInterpolated($"PyTorch {m.GetProperty("torch_version").GetString()} with {m.GetProperty("threads").GetInt32()} thread(s); {m.GetProperty("parameters").GetInt64():N0} parameters (ours: {results[0].TotalParameters:N0})");
    }
}
