namespace Robotics.Sims.Agents;

/// <summary>
/// The agent of a rollout driven by a learned policy or a remote host rather than a scripted agent: agent-level
/// faults (a redirected target) have nothing to act on, and asking it for an action is a bug.
/// </summary>
public sealed class NoAgent : IAgent
{
    public static readonly NoAgent Instance = new();

    private NoAgent()
    {
    }

    public void Reset(long seed)
    {
    }

    public float[] Act(float[] observation) => throw new InvalidOperationException("no scripted agent drives this rollout");
}
