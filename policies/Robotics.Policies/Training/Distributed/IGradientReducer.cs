using static TorchSharp.torch;

namespace Robotics.Policies.Training.Distributed;

/// <summary>
/// Data-parallel training's one collective: after each backward pass, every rank's gradients are replaced by their
/// mean over the ranks, so every rank takes the same optimiser step and the weights stay identical.
/// </summary>
public interface IGradientReducer
{
    int Rank { get; }
    int Size { get; }

    /// <summary>
    /// Averages the gradients of <paramref name="parameters"/> over the ranks, in place. A parameter without a
    /// gradient on some ranks (outside their graph this step) counts as zero there, and has a gradient on every rank
    /// afterwards if it had one on any, so every rank applies the same update.
    /// </summary>
    void AllReduceMean(IReadOnlyList<Tensor> parameters);

    /// <summary>Seconds spent in the collective so far, and the number of calls.</summary>
    (double Seconds, long Calls) Time { get; }
}
