namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// Hyper-parameters of a SAFE detector (ANCHORS section 4). The defaults are the paper's: hidden 256, Adam at 1e-3,
/// batch 64 rollouts; the grid search varies <see cref="LearningRate"/>, <see cref="Lambda"/> and <see cref="Seed"/>.
/// <see cref="Lambda"/> multiplies the sum of squares of every non-bias weight, as the public SAFE code does (a sum, not
/// a mean, so its strength grows with the feature width).
/// </summary>
public sealed record SafeDetectorOptions(
    string Kind,
    int Hidden = 256,
    double LearningRate = 1e-3,
    double Lambda = 1e-2,
    int Epochs = 100,
    int Batch = 64,
    long Seed = 0)
{
    /// <summary>Returns this instance, or throws naming the first bad option.</summary>
    public SafeDetectorOptions EnsureValid()
    {
        if (!SafeDetectorKinds.All.Contains(Kind))
            throw new ArgumentException($"SafeDetectorOptions.Kind '{Kind}' is unknown: expected one of {string.Join(", ", SafeDetectorKinds.All)}.");
        if (Hidden <= 0)
            throw new ArgumentException($"SafeDetectorOptions.Hidden must be positive (got {Hidden}).");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"SafeDetectorOptions.LearningRate must be a positive number (got {LearningRate}).");
        if (!(Lambda >= 0) || !double.IsFinite(Lambda))
            throw new ArgumentException($"SafeDetectorOptions.Lambda must be zero or positive (got {Lambda}).");
        if (Epochs <= 0)
            throw new ArgumentException($"SafeDetectorOptions.Epochs must be positive (got {Epochs}).");
        if (Batch <= 0)
            throw new ArgumentException($"SafeDetectorOptions.Batch must be positive (got {Batch}).");
        return this;
    }
}
