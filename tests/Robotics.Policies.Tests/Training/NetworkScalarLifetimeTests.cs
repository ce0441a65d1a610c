using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

/// <summary>
/// The networks' per-step Scalars (loss weights, the noise embedding's scale, the image encoder's range, the expert
/// dispatch) are held explicitly: an implicitly converted Scalar can be finalized while the native call that got its
/// handle still reads it (a 36000-step MLP-BC run died at step ~13000 in the loss's clamp_min). Every registered type,
/// with a camera and (MoDE) the world-model head, computes the same losses, gradients and action chunks while
/// another thread forces collections and finalizers as fast as it can as it does on a quiet heap.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NetworkScalarLifetimeTests
{
    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void Losses_gradients_and_chunks_are_unchanged_under_concurrent_garbage_collection(string type)
    {
        var quiet = Run(type, collect: false);
        var stressed = Run(type, collect: true);
        Assert.Equal(quiet.Losses, stressed.Losses);
        Assert.Equal(quiet.GradientNorms, stressed.GradientNorms);
        Assert.Equal(quiet.Actions, stressed.Actions);
        Assert.All(quiet.Losses, l => Assert.True(double.IsFinite(l) && l > 0, $"{type}: loss {l}"));
    }

    private static (double[] Losses, double[] GradientNorms, float[] Actions) Run(string type, bool collect)
    {
        const int steps = 40;
        torch.manual_seed(11);
        var config = ToyTasks.Config(type, worldModel: true);
        config.Cameras = ["front"];
        config.ImageShape = [16, 16, 3];
        var rng = new Random(3);
        var episodes = ToyTasks.Episodes(4, 10, seed: 1);
        var frames = Enumerable.Range(0, 40 * 16 * 16 * 3).Select(_ => (byte)rng.Next(256)).ToArray();
        var corpus = ToyTasks.Corpus(episodes).WithColumn(FeatureKeys.Image("front"), NdArray.FromBytes(frames, 40, 16, 16, 3));
        using var network = PolicyRegistry.Create(config);
        var processor = new PolicyProcessor(config, ToyTasks.Stats(episodes));
        using var source = SampledBatchSource.InMemory(corpus, config, 1);

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        if (collect)
            collector.Start();

        var losses = new double[steps];
        var norms = new double[steps];
        float[] actions;
        try
        {
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                network.zero_grad();
                using var batch = processor.ToBatch(source.Sample(step, 8), CPU);
                using var generator = new Generator((ulong)(100 + step));
                var loss = network.ComputeLoss(batch, generator);
                loss.Total.backward();
                losses[step] = loss.Total.item<float>();
                norms[step] = network.parameters().Where(p => p.grad is not null).Sum(p => p.grad!.square().sum().item<float>());
            }

            using var predictScope = NewDisposeScope();
            using var inference = processor.ToBatch(source.Sample(1000, 4), CPU);
            using var sampling = new Generator(7);
            actions = network.Predict(inference, sampling).Actions.contiguous().data<float>().ToArray();
        }
        finally
        {
            stop.Cancel();
            if (collect)
                collector.Join();
        }

        return (losses, norms, actions);
    }
}
