namespace Robotics.Sims.Agents;

/// <summary>
/// Something that picks actions from observations in a closed loop: a scripted expert here, a
/// trained policy when evaluators wrap one. Reset is called after each environment reset.
/// </summary>
public interface IAgent
{
    void Reset(long seed);

    float[] Act(float[] observation);
}
