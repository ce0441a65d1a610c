using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Mode;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Mode;

[Collection(TorchCollection.Name)]
public sealed class SamplingTemperatureTests
{
    private static (ModeNetwork Network, PolicyBatch Batch) Setup()
    {
        torch.manual_seed(8);
        var config = ToyTasks.Config(width: 32);
        var network = (ModeNetwork)PolicyRegistry.Create(config);
        network.eval();
        var episodes = ToyTasks.Episodes(6, 20, seed: 4);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        var raw = ToyTasks.Source(episodes, config, 2).Sample(0, 4);
        return (network, processor.ToBatch(raw, CPU));
    }

    [Fact]
    public void Zero_initial_noise_makes_sampling_deterministic_and_full_noise_does_not()
    {
        var (network, batch) = Setup();
        using var _ = network;
        using var __ = batch;
        var a = network.Sample(batch, WorldModelMode.Policy, new Generator(1), cached: true).Actions;
        var b = network.Sample(batch, WorldModelMode.Policy, new Generator(2), cached: true).Actions;
        Assert.True((a - b).abs().max().item<float>() > 1e-3f, "different noise should give different chunks at scale 1");

        network.Options.InitialNoiseScale = 0;
        var c = network.Sample(batch, WorldModelMode.Policy, new Generator(1), cached: true).Actions;
        var d = network.Sample(batch, WorldModelMode.Policy, new Generator(2), cached: true).Actions;
        Assert.True((c - d).abs().max().item<float>() == 0f, "scale 0 must not depend on the generator");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Out_of_range_scales_are_rejected_by_name(double scale)
    {
        var config = ToyTasks.Config();
        config.Options<ModeOptions>().InitialNoiseScale = scale;
        var error = Assert.Throws<InvalidPolicyConfigException>(() => config.EnsureValid());
        Assert.Contains("mode.initial_noise_scale", error.Message);
    }
}
