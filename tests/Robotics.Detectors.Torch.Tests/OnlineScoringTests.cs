using Robotics.Detectors.Torch.Safe;

namespace Robotics.Detectors.Torch.Tests;

/// <summary>The live monitor's path (one network step per call) gives the offline score curve, call for call.</summary>
[Collection(TorchCollection.Name)]
public class OnlineScoringTests
{
    [Theory]
    [InlineData(SafeDetectorKinds.Mlp)]
    [InlineData(SafeDetectorKinds.Lstm)]
    public void AnOnlineSessionReproducesTheOfflineCurve(string kind)
    {
        var train = SyntheticRollouts.Make(24, 12, visible: true, seed: 3);
        using var detector = SafeDetector.Create(new SafeDetectorOptions(kind, Hidden: 32, Epochs: 5));
        detector.Fit(train);
        foreach (var rollout in SyntheticRollouts.Make(4, 12, visible: true, seed: 9))
        {
            var offline = detector.Scores(rollout);
            using var session = detector.StartSession();
            var online = rollout.Features.Select(session.Next).ToArray();
            Assert.Equal(offline.Length, online.Length);
            for (int t = 0; t < online.Length; t++)
                Assert.Equal(offline[t], online[t], 1e-4 * Math.Max(1, Math.Abs(offline[t])));
        }
    }
}
