namespace Robotics.Sims.Maze2d;

public enum Maze2dRewardType
{
    /// <summary>1 when within 0.5 of the target, else 0 (the registered v1 tasks).</summary>
    Sparse,

    /// <summary>exp(-distance to the target).</summary>
    Dense,
}
