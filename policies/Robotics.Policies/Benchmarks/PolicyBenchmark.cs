using System.Diagnostics;
using Robotics.Core.Progress;
using Robotics.Core.Randomness;
using Robotics.Core.Tasks;
using Robotics.Datasets.Recording;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Training;
using static TorchSharp.torch;

namespace Robotics.Policies.Benchmarks;

/// <summary>
/// Measures, in one run and on the same synthetic inputs: batch-1 latency of one full action-chunk inference for
/// MoDE with expert caching, MoDE without it, and the dense transformer of equal active parameters (one expert
/// of hidden k·4·D), plus training samples per second of MoDE and dense. Also checks cached = uncached.
/// </summary>
public sealed class PolicyBenchmark(int width, int layers, int experts, int topK, int stateDim, int actionDim, int samplingSteps)
{
    public double MaxCachedDifference { get; private set; }

    /// <summary>The MoDE configuration the benchmark builds (for FLOP counts and the PyTorch mirror's arguments).</summary>
    public PolicyConfig ModeConfig => Config(experts, topK, 4);

    /// <summary>The dense transformer of equal active parameters.</summary>
    public PolicyConfig DenseConfig => Config(1, 1, 4 * topK);

    public IReadOnlyList<PolicyBenchmarkResult> Run(int repeats, int trainSteps, int batchSize, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var moeConfig = ModeConfig;
        var denseConfig = DenseConfig;
        var corpus = Corpus(moeConfig, 40, 50);
        var computed = DatasetStatistics.Compute(new FlatDatasetSource(corpus), [D4rlKeys.Observations, D4rlKeys.Actions]);
        var stats = new NormalizationStats(computed[D4rlKeys.Observations], computed[D4rlKeys.Actions]);
        var results = new List<PolicyBenchmarkResult>();
        manual_seed(1);
        using var moe = (ModeNetwork)PolicyRegistry.Create(moeConfig);
        manual_seed(1);
        using var dense = (ModeNetwork)PolicyRegistry.Create(denseConfig);
        var processor = new PolicyProcessor(moeConfig, stats);
        using var source = SampledBatchSource.InMemory(corpus, moeConfig, 1);
        using var batch = processor.ToBatch(source.Sample(0, 1), CPU);
        moe.eval();
        dense.eval();

        // Same inputs and noise: the cache must not change the answer.
        using (NewDisposeScope())
        {
            var a = moe.Sample(batch, WorldModelMode.Policy, new Generator(3), cached: false);
            var b = moe.Sample(batch, WorldModelMode.Policy, new Generator(3), cached: true);
            MaxCachedDifference = (a.Actions - b.Actions).abs().max().item<float>();
        }

        long moeTotal = Count(moe), denseTotal = Count(dense);
        long expertParams = 3L * width * 4 * width * layers; // per expert per block: gate, up, down
        long moeActive = moeTotal - (experts - topK) * expertParams;
        var timings = new Dictionary<string, List<double>> { ["mode-cached"] = [], ["mode-uncached"] = [], ["dense"] = [] };
        // Interleave the variants so machine load drifts affect all of them alike.
        for (int r = -3; r < repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (name, net, cached) in new[] { ("mode-cached", moe, true), ("mode-uncached", moe, false), ("dense", dense, true) })
            {
                using var scope = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                net.Sample(batch, WorldModelMode.Policy, new Generator(5), cached);
                if (r >= 0) timings[name].Add(clock.Elapsed.TotalMilliseconds);
            }

            progress?.Report(new ProgressUpdate("latency", r + 4, repeats + 3));
        }

        double moeTrain = TrainRate(moeConfig, stats, source, trainSteps, batchSize, progress, cancellationToken);
        double denseTrain = TrainRate(denseConfig, stats, source, trainSteps, batchSize, progress, cancellationToken);
        results.Add(Summary("mode-cached", timings["mode-cached"], moeTrain, moeTotal, moeActive));
        results.Add(Summary("mode-uncached", timings["mode-uncached"], moeTrain, moeTotal, moeActive));
        results.Add(Summary("dense", timings["dense"], denseTrain, denseTotal, denseTotal));
        return results;
    }

    private double TrainRate(PolicyConfig config, NormalizationStats stats, SampledBatchSource source, int steps, int batchSize, IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        manual_seed(2);
        var options = new TrainingOptions { Steps = steps + 2, BatchSize = batchSize, WarmupSteps = 1, CheckpointEvery = 1_000_000, ValidateEvery = 1_000_000 };
        using var trainer = new PolicyTrainer(PolicyRegistry.Create(config), new PolicyProcessor(config, stats), options, CPU);
        trainer.Run(source, null, null, null, ct, stopAfter: 2); // warm-up steps are not timed
        var clock = Stopwatch.StartNew();
        trainer.Run(source, null, null, progress, ct);
        return steps * (double)batchSize / clock.Elapsed.TotalSeconds;
    }

    private static PolicyBenchmarkResult Summary(string name, List<double> ms, double train, long total, long active)
    {
        var sorted = ms.Order().ToArray();
        double At(double q) => sorted[Math.Clamp((int)Math.Round(q * (sorted.Length - 1)), 0, sorted.Length - 1)];
        return new PolicyBenchmarkResult(name, At(0.5), At(0.1), At(0.9), train, total, active);
    }

    private static long Count(ModeNetwork n) => n.parameters().Sum(p => p.numel());

    private PolicyConfig Config(int e, int k, int multiplier) => new PolicyConfig
    {
        Type = "mode",
        StateDim = stateDim,
        ActionDim = actionDim,
        Tasks = Enumerable.Range(0, 12).Select(i => new TaskSpec(i, $"task{i}", $"push block {i / 4} to zone {i % 4}")).ToList(),
        Width = width,
    }.With(new ModeOptions { Layers = layers, Heads = 4, Experts = e, TopK = k, ExpertHiddenMultiplier = multiplier, SamplingSteps = samplingSteps });

    /// <summary>Random states and actions in [0, 1) and [-1, 1): the timing does not depend on what is learned.</summary>
    private FlatDataset Corpus(PolicyConfig config, int count, int length)
    {
        var random = new SplitMix64(7);
        float[][] Rows(int width, float scale, float shift) => Enumerable.Range(0, length)
            .Select(_ => Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * scale + shift)).ToArray()).ToArray();
        var recorder = new EpisodeRecorder();
        for (int i = 0; i < count; i++)
        {
            var states = Rows(stateDim, 1, 0);
            recorder.AddEpisode(states, Rows(actionDim, 2, -1), new float[length], terminated: false, success: true,
                i % config.TaskCount, config.Tasks[i % config.TaskCount].Instruction);
        }

        return recorder.Build();
    }
}
