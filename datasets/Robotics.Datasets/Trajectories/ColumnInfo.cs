using Robotics.Core.Shapes;

namespace Robotics.Datasets.Trajectories;

/// <summary>One per-row column of a trajectory store: its key, element type and the shape of one row.</summary>
public sealed record ColumnInfo(string Key, DType DType, IReadOnlyList<int> RowShape)
{
    public int RowElements => RowShape.Aggregate(1, (a, b) => a * b);

    public int RowBytes => RowElements * DType.ByteSize();

    public override string ToString() => $"{Key}: {DType.ToNumpy()}[N{string.Concat(RowShape.Select(d => $", {d}"))}]";
}
