using Robotics.Detectors.Torch.Rnd;

namespace Robotics.Detectors.Torch.Tests;

[Collection(TorchCollection.Name)]
public sealed class RndScorerTests
{
    private const int Dimension = 16;

    private static RndOptions Tiny(long seed = 0) => new(Hidden: 32, Output: 16, LearningRate: 3e-3, Epochs: 15, Batch: 64, Seed: seed);

    /// <summary>
    /// RND is a weak detector (as in SAFE's tables): on this data its val ROC-AUC was 0.58 at drift 3 / 15 epochs,
    /// 0.64 at drift 3 / 60 epochs, 0.72 at drift 6 / 15 epochs and 0.80 at drift 6 / 60 epochs. The test asks only
    /// that a clearly out-of-distribution drift is ranked well above chance.
    /// </summary>
    [Theory]
    [InlineData(6.0, 60)]
    public void Scores_drifted_failures_above_successes(double drift, int epochs)
    {
        var train = SyntheticRollouts.Make(64, Dimension, visible: true, seed: 30, maxDrift: drift);
        var val = SyntheticRollouts.Make(64, Dimension, visible: true, seed: 31, maxDrift: drift);
        using var rnd = new RndScorer(Tiny() with { Epochs = epochs });
        rnd.Fit(train);
        double auc = MannWhitney.Auc(val.Select(r => (rnd.Scores(r).Max(), r.Failed)).ToArray());
        Assert.True(auc > 0.75, $"RND val ROC-AUC {auc:F3} should be well above chance on drifted failures.");
        Assert.True(rnd.EpochLosses[^1] < rnd.EpochLosses[0]);
    }

    [Fact]
    public void Curve_is_the_running_mean_of_per_call_errors_and_seeded()
    {
        var train = SyntheticRollouts.Make(16, Dimension, visible: true, seed: 32);
        using var a = new RndScorer(Tiny() with { Epochs = 2 });
        using var b = new RndScorer(Tiny() with { Epochs = 2 });
        a.Fit(train);
        b.Fit(train);
        var r = train[1];
        var curve = a.Scores(r);
        Assert.Equal(curve, b.Scores(r));
        Assert.Equal(r.Calls, curve.Length);
        // Running mean: t * m_t - (t - 1) * m_{t-1} recovers each per-call error, which is a mean square (>= 0).
        for (int t = 1; t < curve.Length; t++)
            Assert.True((t + 1) * curve[t] - t * curve[t - 1] >= -1e-5);
        // Calls after t never change the curve at t.
        var prefix = a.Scores(r with { Features = r.Features[..5], Steps = r.Steps[..5] });
        for (int t = 0; t < 5; t++)
            Assert.Equal(curve[t], prefix[t], 6);
    }

    [Fact]
    public void Needs_successful_rollouts()
    {
        var train = SyntheticRollouts.Make(8, Dimension, visible: true, seed: 33).Where(r => r.Failed).ToArray();
        using var rnd = new RndScorer(Tiny());
        Assert.Throws<ArgumentException>(() => rnd.Fit(train));
    }
}
