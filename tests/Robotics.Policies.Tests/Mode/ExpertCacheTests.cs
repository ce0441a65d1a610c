using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Mode;

[Collection(TorchCollection.Name)]
public sealed class ExpertCacheTests
{
    [Theory]
    [InlineData(WorldModelMode.Policy, false)]
    [InlineData(WorldModelMode.Policy, true)]
    [InlineData(WorldModelMode.InverseDynamics, true)]
    [InlineData(WorldModelMode.ForwardDynamics, true)]
    [InlineData(WorldModelMode.ObservationPrediction, true)]
    public void Cached_inference_matches_uncached_on_the_same_inputs_and_noise(WorldModelMode mode, bool worldModel)
    {
        torch.manual_seed(21);
        var config = ToyTasks.Config(worldModel: worldModel, width: 32);
        using var network = (ModeNetwork)PolicyRegistry.Create(config);
        network.eval();
        var episodes = ToyTasks.Episodes(6, 20, seed: 1);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        var raw = ToyTasks.Source(episodes, config, 3).Sample(0, 5);
        using var batch = processor.ToBatch(raw, CPU);
        foreach (int steps in mode == WorldModelMode.Policy ? new[] { 5, 10 } : new[] { 5 })
        {
            var uncached = network.Sample(batch, mode, new Generator(9), cached: false, steps);
            var cached = network.Sample(batch, mode, new Generator(9), cached: true, steps);
            Assert.True((uncached.Actions - cached.Actions).abs().max().item<float>() < 1e-4f);
            Assert.True((uncached.Features - cached.Features).abs().max().item<float>() < 1e-4f);
            if (worldModel && uncached.FutureState is not null)
                Assert.True((uncached.FutureState - cached.FutureState!).abs().max().item<float>() < 1e-4f);
        }
    }

    [Fact]
    public void Routing_differs_across_noise_levels_so_caching_is_per_step()
    {
        torch.manual_seed(5);
        using var network = (ModeNetwork)PolicyRegistry.Create(ToyTasks.Config(width: 32));
        var probs = ExponentialSigmaSchedule(network).Select(s =>
        {
            var moe = network.modules().OfType<Robotics.Policies.Nn.MixtureOfExperts>().First();
            var emb = network.named_children().First(c => c.name == "action_noise").module as Robotics.Policies.Nn.NoiseEmbedding;
            return moe.Route(emb!.forward(tensor(new[] { (float)s })), null).Probabilities[0].data<float>().ToArray();
        }).ToArray();
        Assert.Contains(probs, p => p.Zip(probs[0]).Any(z => Math.Abs(z.First - z.Second) > 1e-4));
    }

    [Fact]
    public void World_model_modes_need_the_head_and_their_inputs()
    {
        var config = ToyTasks.Config(width: 32);
        using var network = (ModeNetwork)PolicyRegistry.Create(config);
        var episodes = ToyTasks.Episodes(3, 10, seed: 1);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        using var batch = processor.ToBatch(ToyTasks.Source(episodes, config, 1).Sample(0, 2), CPU);
        var e = Assert.Throws<InvalidOperationException>(() => network.Sample(batch, WorldModelMode.ForwardDynamics, new Generator(1), cached: true));
        Assert.Contains("world_model", e.Message);
    }

    private static double[] ExponentialSigmaSchedule(ModeNetwork n) =>
        Robotics.Policies.Diffusion.ExponentialSigmaSchedule.Create(10, n.Options.SigmaMin, n.Options.SigmaMax)[..10];
}
