using Robotics.Detectors.Torch.Internal;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// SAFE-LSTM: an LSTM reads the calls in order and p_t = sigmoid(head(h_t)) is the score at call t (not cumulative).
/// Loss: binary cross-entropy at every valid call with target 1 for failed rollouts and 0 for successful ones, computed
/// from logits for numerical stability (equal to BCE on the sigmoid).
/// </summary>
public sealed class SafeLstmDetector : SafeDetector
{
    public SafeLstmDetector(SafeDetectorOptions options, Device? device = null) : base(options, SafeDetectorKinds.Lstm, device)
    {
    }

    private protected override SafeNetwork CreateNetwork(int featureDimension, int hidden) => new SafeLstmNetwork(featureDimension, hidden);

    private protected override Tensor PerCallLoss(Tensor logits, Tensor failed) =>
        nn.functional.binary_cross_entropy_with_logits(logits, failed.unsqueeze(1).expand_as(logits), reduction: nn.Reduction.None);

    private protected override Tensor ScoreCurve(Tensor logits) => sigmoid(logits);

    private protected override double Accumulate(double previous, double logit) => 1 / (1 + Math.Exp(-logit));
}
