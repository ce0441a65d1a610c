using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Agents;

/// <summary>The scripted pushing expert as an agent (it reads only the observation).</summary>
public sealed class TabletopExpertAgent : IAgent
{
    public TabletopPushExpert Expert { get; } = new();

    public void Reset(long seed) => Expert.Reset();

    public float[] Act(float[] observation) => Expert.Act(observation);
}
