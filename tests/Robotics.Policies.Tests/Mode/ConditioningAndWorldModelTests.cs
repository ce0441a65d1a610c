using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Mode;

[Collection(TorchCollection.Name)]
public sealed class ConditioningAndWorldModelTests
{
    [Fact]
    public void Action_free_episodes_train_only_the_world_model_side()
    {
        torch.manual_seed(8);
        var config = ToyTasks.Config(worldModel: true);
        using var network = PolicyRegistry.Create(config);
        var videoOnly = ToyTasks.Episodes(6, 20, seed: 2, withActions: false);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(ToyTasks.Episodes(6, 20, seed: 2)));
        using var batch = processor.ToBatch(ToyTasks.Source(videoOnly, config, 1).Sample(0, 16), CPU);
        Assert.Equal(0f, batch.HasActions!.sum().item<float>());
        var loss = network.ComputeLoss(batch, new Generator(4));
        Assert.DoesNotContain("action", loss.Parts.Keys);
        Assert.True(loss.Parts["world_model"].item<float>() > 0);
        loss.Total.backward();
        var grads = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        // Nothing asks the action head for anything (no gradient at all, so no optimiser step), but the observation head learns.
        Assert.Null(grads["action_out.weight"]);
        Assert.True(grads["obs_out.weight"]!.abs().sum().item<float>() > 0f);
    }

    [Fact]
    public void Camera_frames_flow_through_the_film_encoder_into_the_loss_and_the_chunk()
    {
        torch.manual_seed(9);
        var config = ToyTasks.Config();
        config.Cameras = ["front"];
        config.ImageShape = [16, 16, 3];
        var rng = new Random(3);
        var episodes = ToyTasks.Episodes(4, 10, seed: 1);
        var frames = Enumerable.Range(0, 40 * 16 * 16 * 3).Select(_ => (byte)rng.Next(256)).ToArray();
        var corpus = ToyTasks.Corpus(episodes).WithColumn(FeatureKeys.Image("front"), NdArray.FromBytes(frames, 40, 16, 16, 3));
        using var network = PolicyRegistry.Create(config);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        using var source = SampledBatchSource.InMemory(corpus, config, 1);
        using var batch = processor.ToBatch(source.Sample(0, 4), CPU);
        Assert.Equal(new long[] { 4, 2, 1, 16, 16, 3 }, batch.Images!.shape);
        network.ComputeLoss(batch, new Generator(1)).Total.backward();
        var conv = network.named_parameters().Single(p => p.name == "condition.image.convs.0.weight");
        Assert.True(conv.parameter.grad!.abs().sum().item<float>() > 0);

        using var policy = new TorchChunkPolicy(network, processor, CPU);
        var frame = NdArray.FromBytes(frames[..(16 * 16 * 3)], 16, 16, 3);
        var chunk = policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([0.1f, 0.1f]), ["observation.images.front"] = frame }, 0));
        Assert.Equal(config.Horizon, chunk.Actions.Length);
        Assert.Equal(config.Width, chunk.Features.Length);
        var e = Assert.Throws<ArgumentException>(() => policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([0.1f, 0.1f]) }, 0)));
        Assert.Contains("observation.images.front", e.Message);
    }

    [Fact]
    public void Observation_errors_name_the_feature_and_an_episode_replays_exactly_after_reset()
    {
        torch.manual_seed(10);
        var config = ToyTasks.Config();
        var episodes = ToyTasks.Episodes(3, 10, seed: 1);
        using var policy = new TorchChunkPolicy(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats(episodes)), CPU, seed: 4);
        Assert.Contains("observation.state", Assert.Throws<ArgumentException>(() => policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray>(), 0))).Message);
        Assert.Contains("3 values", Assert.Throws<ArgumentException>(() => policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([1f, 2f, 3f]) }, 0))).Message);
        Assert.Contains("Task index 7", Assert.Throws<ArgumentException>(() => policy.PredictChunk(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([1f, 2f]) }, 7))).Message);

        float[][] Run()
        {
            policy.Reset();
            var obs = new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([0.3f, -0.2f]) }, 1);
            policy.PredictChunk(obs);
            return policy.PredictChunk(obs).Actions;
        }

        // Each reset reseeds the sampling noise from (seed, episode number): consecutive episodes differ.
        var first = Run();
        var second = Run();
        Assert.NotEqual(first[0], second[0]);
        Assert.Equal(4, policy.PredictionHorizon);
        Assert.Equal(2, policy.ExecutedSteps);
    }
}
