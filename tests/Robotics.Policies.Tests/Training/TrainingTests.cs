using Robotics.Policies.Mode;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Runtime;
using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "policies-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static (PolicyTrainer Trainer, SampledBatchSource Train, SampledBatchSource Val) Setup(PolicyConfig config, int steps, long seed = 0)
    {
        torch.manual_seed(seed);
        var episodes = ToyTasks.Episodes(30, 24, seed: 5);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        var network = PolicyRegistry.Create(config);
        var options = new TrainingOptions { Steps = steps, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 10, Seed = seed, CheckpointEvery = 1000, ValidateEvery = 1000, ValidationBatches = 2, EmaPower = 0.75 };
        var train = ToyTasks.Source(episodes.Take(24).ToArray(), config, seed);
        var val = ToyTasks.Source(episodes.Skip(24).ToArray(), config, seed + 1);
        return (new PolicyTrainer(network, processor, options, CPU), train, val);
    }

    /// <summary>Mean squared error of the first predicted action against the expert, over fresh start states.</summary>
    private static double ClosedFormError(IChunkPolicy policy)
    {
        var rng = new Random(77);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 24; i++)
        {
            int task = i % 3;
            var s = new[] { (float)(rng.NextDouble() * 2 - 1), (float)(rng.NextDouble() * 2 - 1) };
            policy.Reset();
            var chunk = policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(s) }, task));
            var a = ToyTasks.Expert(task, s);
            sum += Math.Pow(chunk.Actions[0][0] - a[0], 2) + Math.Pow(chunk.Actions[0][1] - a[1], 2);
            count += 2;
        }

        return sum / count;
    }

    [Theory]
    [InlineData("mode", 4, 2, 400)]
    [InlineData("mlp_bc", 1, 1, 200)]
    [InlineData("mode", 4, 2, 400, PolicyConfig.MlpStateEncoder, AffineNormalizer.MeanStd)]
    public void A_small_policy_learns_the_multitask_toy_and_reloads_from_its_checkpoint(string type, int experts, int topK, int steps,
        string stateEncoder = PolicyConfig.LinearStateEncoder, string stateNormalization = AffineNormalizer.MinMax)
    {
        var config = ToyTasks.Config(type, experts, topK);
        config.StateEncoder = stateEncoder;
        config.StateNormalization = stateNormalization;
        var (trainer, train, val) = Setup(config, steps);
        using var _ = trainer;
        double before = trainer.Validate(val);
        var result = trainer.Run(train, val, folder);
        Assert.True(result.ValidationLoss < before * 0.5, $"validation loss {result.ValidationLoss} did not halve from {before}");
        Assert.True(Directory.Exists(Path.Combine(folder, "final")));

        using var policy = TorchChunkPolicy.Load(Path.Combine(folder, "final"), "cpu", seed: 1);
        Assert.Equal(config.Horizon, policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([0.1f, 0.2f]) }, 0)).Actions.Length);
        double error = ClosedFormError(policy);
        // Actions span about [-2, 2]; a policy that ignored state or task would be off by ~1 per element.
        Assert.True(error < 0.1, $"{type}: mean squared action error {error} after training");
    }

    [Fact]
    public void Resuming_from_a_checkpoint_reproduces_the_uninterrupted_run_exactly()
    {
        var config = ToyTasks.Config(worldModel: true);
        var (straight, train, val) = Setup(config, steps: 8, seed: 3);
        using (straight)
        {
            straight.Run(train, null, output: null);
            straight.SaveCheckpoint(Path.Combine(folder, "straight"));
        }

        var (first, train2, _) = Setup(config, steps: 8, seed: 3);
        using (first)
            first.Run(train2, null, Path.Combine(folder, "interrupted"), stopAfter: 4);
        using var resumed = PolicyTrainer.Resume(Path.Combine(folder, "interrupted", "step_0000004"), CPU);
        Assert.Equal(4, resumed.Step);
        resumed.Run(train2, null, Path.Combine(folder, "resumed"));

        foreach (var file in new[] { PolicyCheckpoint.WeightsFile, Path.Combine(PolicyCheckpoint.TrainingFolder, PolicyCheckpoint.RawWeightsFile), Path.Combine(PolicyCheckpoint.TrainingFolder, PolicyCheckpoint.OptimizerFile) })
        {
            var a = SafetensorsFile.Load(Path.Combine(folder, "straight", file));
            var b = SafetensorsFile.Load(Path.Combine(folder, "resumed", "final", file));
            Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
            foreach (var key in a.Keys)
                Assert.True(a[key].eq(b[key]).all().item<bool>(), $"{file}:{key} differs after resume");
        }
    }

    [Fact]
    public void Checkpoint_weights_are_plain_safetensors_that_an_independent_reader_parses()
    {
        var config = ToyTasks.Config();
        var (trainer, train, _) = Setup(config, steps: 2);
        using var _ = trainer;
        trainer.Run(train, null, folder);
        string weights = Path.Combine(folder, "final", PolicyCheckpoint.WeightsFile);
        var expected = SafetensorsFile.Load(weights);
        // numpy-only reader of the safetensors layout (8-byte header length, JSON header, raw little-endian data),
        // independent of TorchSharp: it prints name, shape and sum of every tensor.
        const string script = """
            import json, struct, sys, numpy as np
            raw = open(sys.argv[1], 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            for name, e in sorted(header.items()):
                if name == '__metadata__': continue
                assert e['dtype'] == 'F32', e
                a, b = e['data_offsets']
                arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').reshape(e['shape'])
                print(name, ','.join(map(str, e['shape'])), repr(float(arr.astype(np.float64).sum())))
            """;
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(weights);
        using var process = System.Diagnostics.Process.Start(psi)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            var t = expected[parts[0]];
            Assert.Equal(string.Join(",", t.shape), parts[1]);
            Assert.Equal(t.to(ScalarType.Float64).sum().item<double>(), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 4);
        }

        Assert.Contains(lines, l => l.StartsWith("blocks.0.moe.router.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("blocks.1.moe.experts.3.gate_up.weight", StringComparison.Ordinal));
    }

    [Fact]
    public void Warmup_cosine_and_ema_follow_their_formulas()
    {
        var schedule = new LearningRateSchedule(1e-4, 10, 110);
        Assert.Equal(1e-5, schedule.At(0), 12);
        Assert.Equal(1e-4, schedule.At(9), 12);
        Assert.Equal(1e-4, schedule.At(10), 12);
        Assert.Equal(0.5e-4, schedule.At(60), 12);
        Assert.Equal(0, schedule.At(110), 12);
        using var p = zeros(3);
        using var ema = new ExponentialMovingAverage([("p", p)], 0.75, 0.9999);
        Assert.Equal(0, ema.DecayAt(0), 12);
        Assert.Equal(1 - Math.Pow(11, -0.75), ema.DecayAt(10), 12);
        Assert.Equal(0.9999, ema.DecayAt(100_000_000), 12);
    }

    [Fact]
    public void Bad_configuration_names_every_offending_option()
    {
        var config = ToyTasks.Config();
        config.Options<ModeOptions>().TopK = 5;
        config.ExecutedSteps = 99;
        config.Options<ModeOptions>().WorldModel = true;
        config.Options<ModeOptions>().Causal = true;
        var e = Assert.Throws<InvalidPolicyConfigException>(() => PolicyRegistry.Create(config));
        Assert.Contains("mode.top_k", e.Message);
        Assert.Contains("executed_steps", e.Message);
        Assert.Contains("mode.causal", e.Message);
        config = ToyTasks.Config();
        config.Type = "transformer_xl";
        Assert.Contains("mode, mlp_bc", Assert.Throws<KeyNotFoundException>(() => PolicyRegistry.Create(config)).Message);
    }

    [Fact]
    public void A_broken_checkpoint_is_reported_with_the_file_and_tensor()
    {
        var config = ToyTasks.Config();
        var (trainer, train, _) = Setup(config, steps: 1);
        using (trainer)
            trainer.Run(train, null, folder);
        string final = Path.Combine(folder, "final");
        var tensors = SafetensorsFile.Load(Path.Combine(final, PolicyCheckpoint.WeightsFile));
        tensors.Remove("action_out.weight");
        SafetensorsFile.Save(Path.Combine(final, PolicyCheckpoint.WeightsFile), tensors);
        var e = Assert.Throws<InvalidDataException>(() => PolicyCheckpoint.Load(final, CPU));
        Assert.Contains("action_out.weight", e.Message);
        Assert.Contains(PolicyCheckpoint.WeightsFile, e.Message);
        Assert.Throws<FileNotFoundException>(() => PolicyCheckpoint.Load(Path.Combine(folder, "nothing"), CPU));
    }
}
