namespace Robotics.Control.Chunks;

/// <summary>Combines the action already planned for a step with a newer chunk's action for the same step.</summary>
public interface IChunkMergeRule
{
    float[] Merge(float[] planned, float[] incoming);
}
