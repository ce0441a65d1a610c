using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Transforms;

/// <summary>
/// Gives a dataset that records no rewards (LeRobot recordings have none) a constant rewards column,
/// only when asked for (robotics dataset convert --fill-rewards V), and says so in the data:
/// metadata/filled_rewards = V (float32 scalar) travels with every format that keeps metadata, so
/// nobody later mistakes the constant for recorded rewards.
/// </summary>
public static class RewardFill
{
    public const string FilledRewardsKey = "metadata/filled_rewards";

    public static FlatDataset Apply(FlatDataset dataset, float value)
    {
        if (dataset.HasColumn(D4rlKeys.Rewards))
            throw new InvalidOperationException($"The dataset already has '{D4rlKeys.Rewards}'; filling is only for datasets without rewards.");
        if (!float.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "the fill value must be finite");
        var rewards = new float[dataset.RowCount];
        Array.Fill(rewards, value);
        return dataset.WithColumn(D4rlKeys.Rewards, NdArray.FromFloats(rewards, rewards.Length))
            .WithMetadata(FilledRewardsKey, MetadataValue.FromArray(new NdArray(DType.Float32, [], BitConverter.GetBytes(value))));
    }

    /// <summary>The same for a source read in blocks: the constant column costs nothing per row.</summary>
    public static ITrajectorySource Apply(ITrajectorySource source, float value)
    {
        if (source.HasColumn(D4rlKeys.Rewards))
            throw new InvalidOperationException($"The source already has '{D4rlKeys.Rewards}'; filling is only for datasets without rewards.");
        if (!float.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "the fill value must be finite");
        return new OverlaySource(source,
            [OverlaySource.ConstantColumn(new ColumnInfo(D4rlKeys.Rewards, DType.Float32, []), BitConverter.GetBytes(value))],
            [KeyValuePair.Create(FilledRewardsKey, MetadataValue.FromArray(new NdArray(DType.Float32, [], BitConverter.GetBytes(value))))]);
    }
}
