using Robotics.Policies.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Training;

/// <summary>
/// TorchSharp frees a Scalar in its finalizer; an implicitly converted one can be collected while the native
/// call that received its handle still reads it, which crashed a 5000-step training run here at step ~4000
/// ("Expected false to be true" in Scalar::toFloat inside add_). AdamW and the EMA hold their Scalars explicitly.
/// This test steps both while another thread forces collections and finalizers as fast as it can.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OptimizerScalarLifetimeTests
{
    [Fact]
    public void AdamW_and_EMA_steps_survive_concurrent_garbage_collection_and_match_the_formulas()
    {
        torch.manual_seed(5);
        var parameters = Enumerable.Range(0, 24).Select(i => ($"p{i}", randn(8, 8).requires_grad_(true))).ToArray();
        var reference = parameters.Select(p => p.Item2.detach().clone()).ToArray();
        using var optimizer = new AdamW(parameters, 0.9, 0.95, 0.05, 1e-8);
        using var ema = new ExponentialMovingAverage(parameters, 0.75, 0.9999);
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();

        const int steps = 300;
        const double lr = 1e-3;
        using var half = 0.5.ToScalar();
        try
        {
            for (int step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                foreach (var (_, p) in parameters)
                    p.mul(half).sum().backward();   // gradient 0.5 everywhere
                optimizer.Step(lr);
                ema.Update(step);
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        // A constant gradient g gives Adam's bias-corrected ratio m/sqrt(v) = 1 (sign of g) at every step, so each
        // parameter follows p <- p·(1 - lr·wd) - lr exactly; a corrupted Scalar would break this.
        for (int i = 0; i < parameters.Length; i++)
        {
            var expected = reference[i].clone();
            for (int step = 0; step < steps; step++)
                expected = expected * (1 - lr * 0.05) - lr;
            Assert.True((parameters[i].Item2.detach() - expected).abs().max().item<float>() < 5e-4f, $"parameter {i} drifted from the AdamW formula");
        }

        Assert.All(ema.Weights.Values, w => Assert.True(w.isfinite().all().item<bool>()));
    }
}
