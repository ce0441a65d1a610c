namespace Robotics.Policies.Data;

/// <summary>
/// One episode in environment units: States[t] (S), Actions[t] (A) or null for action-free (video-only)
/// episodes, optional Images[t][camera] (H·W·C uint8), and the task it demonstrates.
/// </summary>
public sealed record Episode(float[][] States, float[][]? Actions, int TaskIndex, string? Instruction, byte[][][]? Images = null)
{
    public int Length => States.Length;
}
