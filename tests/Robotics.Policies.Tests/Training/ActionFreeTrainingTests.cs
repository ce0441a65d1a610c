using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

/// <summary>
/// Action-free corpora (UWM): episodes without actions train the world-model side only. A batch of them has no
/// action loss, leaves the action head untouched (even after labelled steps gave it optimiser moments), and still
/// moves the observation head.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ActionFreeTrainingTests
{
    [Fact]
    public void Action_free_batches_have_no_action_loss_and_leave_the_action_head_unchanged()
    {
        torch.manual_seed(2);
        var config = ToyTasks.Config(worldModel: true);
        var labelled = ToyTasks.Episodes(12, 16, seed: 5).ToArray();
        var play = ToyTasks.Episodes(12, 16, seed: 6, withActions: false).ToArray();
        var network = (ModeNetwork)PolicyRegistry.Create(config);
        Assert.True(network.LearnsFromActionFreeData);
        Assert.False(PolicyRegistry.Create(ToyTasks.Config()).LearnsFromActionFreeData);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(labelled));
        var options = new TrainingOptions { Steps = 8, BatchSize = 16, LearningRate = 3e-3, WarmupSteps = 1, Seed = 4, CheckpointEvery = 1000, ValidateEvery = 1000, ValidationBatches = 1, EmaPower = 0.75 };
        var labelledSource = ToyTasks.Source(labelled, config, 0);
        var playSource = ToyTasks.Source(play, config, 1);

        using (var batch = processor.ToBatch(playSource.Sample(0, 16), CPU))
        using (var generator = new Generator(7, CPU))
        {
            var loss = network.ComputeLoss(batch, generator);
            Assert.DoesNotContain("action", loss.Parts.Keys);
            Assert.Contains("world_model", loss.Parts.Keys);
        }

        using var trainer = new PolicyTrainer(network, processor, options, CPU);
        trainer.Run(labelledSource, null, null, stopAfter: 3);   // the action head now has Adam moments
        var head = Snapshot(network, "action_out.");
        var observationHead = Snapshot(network, "obs_out.");
        trainer.Run(playSource, null, null, stopAfter: 6);
        foreach (var (name, before) in head)
            Assert.True(Param(network, name).eq(before).all().item<bool>(), $"{name} moved on action-free batches");
        Assert.Contains(observationHead, kv => !Param(network, kv.Key).eq(kv.Value).all().item<bool>());
        trainer.Run(labelledSource, null, null);                 // labelled batches move it again
        Assert.Contains(head, kv => !Param(network, kv.Key).eq(kv.Value).all().item<bool>());
    }

    private static Dictionary<string, Tensor> Snapshot(ModeNetwork network, string prefix) =>
        network.NamedParameters().Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Name, p => p.Param.detach().clone());

    private static Tensor Param(ModeNetwork network, string name) => network.NamedParameters().Single(p => p.Name == name).Param;
}
