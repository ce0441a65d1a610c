namespace Robotics.Datasets.Trajectories;

/// <summary>
/// Rows per block of a streaming pass, capped so one block of the widest column stays within a byte budget:
/// 16k rows of a 4-wide state is nothing, 16k rows of a 480 x 640 camera (as float32) would be 60 GB.
/// </summary>
public static class BlockRows
{
    public const long DefaultBudgetBytes = 64L << 20;

    public static int Cap(int requested, long widestRowBytes, long budgetBytes = DefaultBudgetBytes) =>
        (int)Math.Max(1, Math.Min(requested, budgetBytes / Math.Max(1, widestRowBytes)));
}
