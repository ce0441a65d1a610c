namespace Robotics.Sims.Environments;

/// <summary>
/// One step's outcome. <see cref="Terminated"/>: the task itself ended the episode (e.g. success);
/// <see cref="Truncated"/>: the time limit was hit. A dataset's terminals and timeouts map to these.
/// </summary>
public sealed record StepResult(float[] Observation, double Reward, bool Terminated, bool Truncated, StepInfo Info)
{
    public bool Done => Terminated || Truncated;
}
