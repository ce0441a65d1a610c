using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Core.Randomness;

namespace Robotics.Sims.Failures;

/// <summary>
/// Injects realistic faults into a scene so rollouts fail for physical reasons; the episode's label
/// is still decided by the environment's own success test, never by the injection.
/// </summary>
public interface IFailureInjector
{
    /// <summary>The fault kinds this injector knows, by name.</summary>
    IReadOnlyList<string> Kinds { get; }

    /// <summary>Draws a plan of the given kind for an episode of the given task.</summary>
    FailurePlan Draw(string kind, Xoshiro256 random, int taskIndex);

    /// <summary>Called before every step; applies the plan to the environment and/or the agent.</summary>
    void BeforeStep(FailurePlan plan, int step, IEnvironment environment, IAgent agent);
}
