using Robotics.Datasets.Tests.Hdf5;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Support;

/// <summary>The synthetic D4RL-style dataset shared by several test classes.</summary>
public static class D4rlHdf5RoundTripTestsAccess
{
    public static FlatDataset Sample(int rows, int seed = 1) => D4rlHdf5RoundTripTests.Sample(rows, seed);
}
