using Robotics.Detectors.Torch.Internal;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// SAFE-MLP: p_t = sigmoid(MLP(x_t)) per call, score s_t = sum of p up to t (so the curve never decreases). Loss per call:
/// relu(s_t) on successful rollouts (push every p down) and -s_t on failed ones (push them up); a failed rollout's score
/// therefore rises as soon as its features look like failure and stays up, which is what a running-max ROC-AUC and a
/// time-varying conformal band reward.
/// </summary>
public sealed class SafeMlpDetector : SafeDetector
{
    public SafeMlpDetector(SafeDetectorOptions options, Device? device = null) : base(options, SafeDetectorKinds.Mlp, device)
    {
    }

    private protected override SafeNetwork CreateNetwork(int featureDimension, int hidden) => new SafeMlpNetwork(featureDimension, hidden);

    private protected override Tensor PerCallLoss(Tensor logits, Tensor failed)
    {
        var s = ScoreCurve(logits);
        return where(failed.unsqueeze(1).to_type(ScalarType.Bool), s.neg(), nn.functional.relu(s));
    }

    private protected override Tensor ScoreCurve(Tensor logits) => sigmoid(logits).cumsum(1);

    private protected override double Accumulate(double previous, double logit) => (double.IsNaN(previous) ? 0 : previous) + 1 / (1 + Math.Exp(-logit));
}
