namespace Robotics.Core.Shapes;

/// <summary>
/// One named feature: its key (e.g. "observation.state"), element type and per-step shape
/// (without the time or batch axis).
/// </summary>
public sealed record FeatureSpec(string Key, DType DType, IReadOnlyList<int> Shape)
{
    public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);

    public override string ToString() => $"{Key}: {DType.ToNumpy()}[{string.Join(", ", Shape)}]";
}
