namespace Robotics.Control.Chunks;

/// <summary>The newest chunk wins (openpi's broker behaviour).</summary>
public sealed class ReplaceMergeRule : IChunkMergeRule
{
    public float[] Merge(float[] planned, float[] incoming) => incoming;
}
