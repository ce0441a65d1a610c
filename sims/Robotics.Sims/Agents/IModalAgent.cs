namespace Robotics.Sims.Agents;

/// <summary>
/// An agent whose behaviour follows a strategy drawn per episode (a demonstrator's mode). After each
/// <see cref="IAgent.Act"/> it says which, as named per-step values a dataset records under infos/.
/// </summary>
public interface IModalAgent : IAgent
{
    /// <summary>Names of the values <see cref="StepInfo"/> returns, fixed for the agent (empty: nothing to record).</summary>
    IReadOnlyList<string> InfoNames { get; }

    /// <summary>The values for the step just acted on, in <see cref="InfoNames"/> order.</summary>
    float[] StepInfo();
}
