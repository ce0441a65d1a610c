namespace Robotics.Control.Chunks;

/// <summary>Weighted average of overlapping steps, (1 - w)·planned + w·incoming (LeRobot async inference uses w = 0.7).</summary>
public sealed class BlendMergeRule(double newWeight) : IChunkMergeRule
{
    public float[] Merge(float[] planned, float[] incoming)
    {
        var merged = new float[incoming.Length];
        float w = (float)newWeight;
        for (int i = 0; i < merged.Length; i++)
            merged[i] = (1 - w) * planned[i] + w * incoming[i];
        return merged;
    }
}
