using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

/// <summary>`robotics train --init`: what is loaded, what is re-initialised, what stays frozen, and what is recorded.</summary>
[Collection(TorchCollection.Name)]
public sealed class FineTuningTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "finetune-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private static TrainingOptions Options(int steps) => new()
    {
        Steps = steps, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 2, Seed = 3, CheckpointEvery = 1000, ValidateEvery = 1000, ValidationBatches = 1, EmaPower = 0.75,
    };

    /// <summary>A pretrained toy MoDE (state 2, action 2), 6 steps, saved to folder/pretrained.</summary>
    private string Pretrain()
    {
        torch.manual_seed(1);
        var config = ToyTasks.Config();
        var episodes = ToyTasks.Episodes(12, 16, seed: 5);
        using var trainer = new PolicyTrainer(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats(episodes)), Options(6), CPU);
        trainer.Run(ToyTasks.Source(episodes.ToArray(), config, 0), null, null);
        string path = Path.Combine(folder, "pretrained");
        trainer.SaveCheckpoint(path);
        return path;
    }

    /// <summary>Toy episodes with a third action dimension (a new action space: the action heads change shape).</summary>
    private static ToyEpisode[] WiderActions(IReadOnlyList<ToyEpisode> episodes) =>
        episodes.Select(e => e with { Actions = e.Actions!.Select(a => new[] { a[0], a[1], a[0] - a[1] }).ToArray() }).ToArray();

    [Fact]
    public void Matching_tensors_are_loaded_exactly_and_only_the_heads_whose_shape_changed_are_reinitialised()
    {
        string pretrained = Pretrain();
        var config = FineTuning.Architecture(pretrained);
        config.ActionDim = 3;
        config.EnsureValid();
        torch.manual_seed(9);
        var network = PolicyRegistry.Create(config);
        var provenance = FineTuning.Initialize(network, pretrained, freezeTrunk: false, [], "data");

        var source = SafetensorsFile.Load(Path.Combine(pretrained, PolicyCheckpoint.WeightsFile));
        var expectedReinit = network.NamedParameters().Where(p => !source.TryGetValue(p.Name, out var t) || !t.shape.SequenceEqual(p.Param.shape)).Select(p => p.Name).ToArray();
        Assert.NotEmpty(expectedReinit);
        Assert.All(expectedReinit, n => Assert.True(n.StartsWith("action_in.", StringComparison.Ordinal) || n.StartsWith("action_out.", StringComparison.Ordinal), n));
        Assert.Equal(expectedReinit, provenance.Reinitialized);
        foreach (var (name, param) in network.NamedParameters().Where(p => provenance.Loaded.Contains(p.Name)))
            Assert.True(param.eq(source[name]).all().item<bool>(), $"{name} differs from the pretrained tensor");
        Assert.Equal(network.NamedParameters().Count(), provenance.Loaded.Count + provenance.Reinitialized.Count);
        Assert.Empty(provenance.Frozen);
        Assert.Equal(6, provenance.PretrainedSteps);
        Assert.Equal(64, provenance.WeightsSha256.Length);
        Assert.Equal("mode", provenance.PolicyType);
        foreach (var t in source.Values)
            t.Dispose();
    }

    [Fact]
    public void A_frozen_trunk_stays_bit_identical_while_the_heads_train_and_the_checkpoint_records_provenance_through_resume()
    {
        string pretrained = Pretrain();
        var config = FineTuning.Architecture(pretrained);
        config.ActionDim = 3;
        config.EnsureValid();
        torch.manual_seed(9);
        var network = PolicyRegistry.Create(config);
        var provenance = FineTuning.Initialize(network, pretrained, freezeTrunk: true, [], "data");
        Assert.NotEmpty(provenance.Frozen);
        Assert.DoesNotContain(provenance.Frozen, n => network.HeadPrefixes.Any(h => n.StartsWith(h, StringComparison.Ordinal)));
        Assert.Empty(provenance.Frozen.Intersect(provenance.Reinitialized));
        var before = network.NamedParameters().ToDictionary(p => p.Name, p => p.Param.detach().clone());

        var episodes = WiderActions(ToyTasks.Episodes(12, 16, seed: 6));
        var stats = ToyTasks.Stats(episodes);
        using var source = ToyTasks.Source(episodes, config, 0);
        string run = Path.Combine(folder, "finetune");
        using (var trainer = new PolicyTrainer(network, new PolicyProcessor(config, stats), Options(8), CPU, provenance))
            trainer.Run(source, null, run, stopAfter: 4);

        foreach (var (name, param) in network.NamedParameters())
        {
            bool same = param.eq(before[name]).all().item<bool>();
            if (provenance.Frozen.Contains(name))
                Assert.True(same, $"frozen {name} changed");
        }

        Assert.Contains(network.NamedParameters(), p => !provenance.Frozen.Contains(p.Name) && !p.Param.eq(before[p.Name]).all().item<bool>());
        string step4 = Path.Combine(run, "step_0000004");
        var saved = PolicyCheckpoint.LoadProvenance(step4);
        Assert.NotNull(saved);
        Assert.Equal(provenance.WeightsSha256, saved.WeightsSha256);
        Assert.Equal(provenance.Frozen, saved.Frozen);
        Assert.Equal(Path.GetFullPath(pretrained), saved.Checkpoint);

        // A resumed fine-tuning run freezes the same parameters and keeps writing the provenance.
        var frozenAtStep4 = SafetensorsFile.Load(Path.Combine(step4, PolicyCheckpoint.TrainingFolder, PolicyCheckpoint.RawWeightsFile));
        using (var resumed = PolicyTrainer.Resume(step4, CPU))
        {
            Assert.All(resumed.Network.NamedParameters().Where(p => saved.Frozen.Contains(p.Name)), p => Assert.False(p.Param.requires_grad, p.Name));
            resumed.Run(source, null, run);
            foreach (var (name, param) in resumed.Network.NamedParameters().Where(p => saved.Frozen.Contains(p.Name)))
                Assert.True(param.eq(frozenAtStep4[name]).all().item<bool>(), $"frozen {name} changed after resume");
        }

        Assert.NotNull(PolicyCheckpoint.LoadProvenance(Path.Combine(run, "final")));
        Assert.Null(PolicyCheckpoint.LoadProvenance(pretrained));
    }

    [Fact]
    public void Freezing_an_unknown_prefix_or_initialising_another_policy_type_is_refused_with_the_reason()
    {
        string pretrained = Pretrain();
        var mode = PolicyRegistry.Create(FineTuning.Architecture(pretrained));
        var wrongPrefix = Assert.Throws<ArgumentException>(() => FineTuning.Initialize(mode, pretrained, false, ["no_such_module."], "data"));
        Assert.Contains("no_such_module.", wrongPrefix.Message);
        var mlp = PolicyRegistry.Create(ToyTasks.Config(type: "mlp_bc"));
        var wrongType = Assert.Throws<InvalidDataException>(() => FineTuning.Initialize(mlp, pretrained, false, [], "data"));
        Assert.Contains("'mode'", wrongType.Message);
    }
}
