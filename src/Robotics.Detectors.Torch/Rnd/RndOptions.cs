namespace Robotics.Detectors.Torch.Rnd;

/// <summary>
/// Random network distillation baseline settings. Target and predictor are both Linear(D, H), ReLU, Linear(H, H),
/// ReLU, Linear(H, Output); only the predictor trains, on calls of successful training rollouts, for
/// <see cref="Epochs"/> passes over those calls in minibatches of <see cref="Batch"/> calls.
/// </summary>
public sealed record RndOptions(
    int Hidden = 256,
    int Output = 64,
    double LearningRate = 1e-3,
    int Epochs = 20,
    int Batch = 256,
    long Seed = 0)
{
    public RndOptions EnsureValid()
    {
        if (Hidden <= 0)
            throw new ArgumentException($"RndOptions.Hidden must be positive (got {Hidden}).");
        if (Output <= 0)
            throw new ArgumentException($"RndOptions.Output must be positive (got {Output}).");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentException($"RndOptions.LearningRate must be a positive number (got {LearningRate}).");
        if (Epochs <= 0)
            throw new ArgumentException($"RndOptions.Epochs must be positive (got {Epochs}).");
        if (Batch <= 0)
            throw new ArgumentException($"RndOptions.Batch must be positive (got {Batch}).");
        return this;
    }
}
