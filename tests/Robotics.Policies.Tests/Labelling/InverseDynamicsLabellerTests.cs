using Robotics.Datasets.Trajectories;
using Robotics.Policies.Labelling;
using Robotics.Policies.Mode;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Labelling;

/// <summary>
/// A world-model MoDE trained on the toy tasks labels action-free episodes of the same tasks from their states: the
/// inferred actions are far closer to the actions that produced those states than the best constant guess.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class InverseDynamicsLabellerTests
{
    [Fact]
    public void Inverse_dynamics_labels_recover_the_actions_of_action_free_episodes()
    {
        torch.manual_seed(5);
        var config = ToyTasks.Config(worldModel: true);
        var labelled = ToyTasks.Episodes(30, 24, seed: 5);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(labelled));
        var options = new TrainingOptions { Steps = 800, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 10, Seed = 1, CheckpointEvery = 100_000, ValidateEvery = 100_000, EmaPower = 0.75 };
        var network = (ModeNetwork)PolicyRegistry.Create(config);
        using (var trainer = new PolicyTrainer(network, processor, options, CPU))
        {
            using var source = ToyTasks.Source(labelled, config, 1);
            trainer.Run(source, null, null);
            trainer.ApplyEmaWeights();
        }

        var play = ToyTasks.Episodes(6, 24, seed: 77);
        var truth = play.SelectMany(e => e.Actions!).ToArray();
        var stateOnly = ToyTasks.Corpus(play.Select(e => e with { Actions = null }).ToArray());
        Assert.False(stateOnly.HasColumn(D4rlKeys.Actions));
        var labels = new InverseDynamicsLabeller(network, processor, CPU).Label(new FlatDatasetSource(stateOnly), batchSize: 16, seed: 3).ToFloats();
        Assert.Equal(truth.Length * 2, labels.Length);

        double Error(Func<int, int, double> guess) => truth.Select((a, r) => Math.Pow(guess(r, 0) - a[0], 2) + Math.Pow(guess(r, 1) - a[1], 2)).Average();
        double labelled_ = Error((r, j) => labels[r * 2 + j]);
        var mean = new[] { truth.Average(a => a[0]), truth.Average(a => a[1]) };
        double constant = Error((_, j) => mean[j]);
        Assert.True(labelled_ < 0.3 * constant, $"inverse-dynamics labels: mean squared error {labelled_:F4}; best constant: {constant:F4}");

        // Same seed, same labels.
        var again = new InverseDynamicsLabeller(network, processor, CPU).Label(new FlatDatasetSource(stateOnly), batchSize: 16, seed: 3).ToFloats();
        Assert.Equal(labels, again);
    }

    [Fact]
    public void A_policy_without_the_world_model_head_is_refused()
    {
        var config = ToyTasks.Config(worldModel: false);
        var network = (ModeNetwork)PolicyRegistry.Create(config);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(ToyTasks.Episodes(3, 5, 1)));
        var e = Assert.Throws<ArgumentException>(() => new InverseDynamicsLabeller(network, processor, CPU).Label(new FlatDatasetSource(ToyTasks.Corpus(ToyTasks.Episodes(3, 5, 1)))));
        Assert.Contains("world-model", e.Message);
    }
}
