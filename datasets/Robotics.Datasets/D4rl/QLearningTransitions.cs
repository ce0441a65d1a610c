using Robotics.Core.Arrays;

namespace Robotics.Datasets.D4rl;

/// <summary>The result of <see cref="QLearningDataset"/>: M transitions (s, a, r, s', done), float32 and bool.</summary>
public sealed record QLearningTransitions(NdArray Observations, NdArray Actions, NdArray NextObservations, NdArray Rewards, NdArray Terminals)
{
    public int Count => Observations.Shape[0];
}
