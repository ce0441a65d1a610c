namespace Robotics.Sims.Agents;

/// <summary>How an environment's expert demonstrates.</summary>
public enum DemoStyle
{
    /// <summary>One deterministic strategy: a function of the observation and the expert's phase.</summary>
    Scripted,

    /// <summary>
    /// Human-like: each episode (or plan) draws one of several strategies that all succeed, so the action given the
    /// state is multimodal, as in teleoperated data. Tabletop: see <see cref="Tabletop.TabletopExpertMode"/>;
    /// maze2d: a random choice among equally short routes where the maze has them.
    /// </summary>
    Multimodal,
}
