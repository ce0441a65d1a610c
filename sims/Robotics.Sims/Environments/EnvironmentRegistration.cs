using Robotics.Sims.Agents;
using Robotics.Sims.Failures;

namespace Robotics.Sims.Environments;

/// <summary>
/// One registered environment: how to build it, its expert (in a demonstration style), and (where the scene
/// supports it) its failure injector.
/// </summary>
public sealed record EnvironmentRegistration(
    string Id,
    string Description,
    Func<IEnvironment> Create,
    Func<IEnvironment, DemoStyle, IAgent> CreateExpertAgent,
    Func<IFailureInjector>? CreateFailureInjector = null)
{
    /// <summary>The expert driving <paramref name="environment"/>, scripted unless another style is asked for.</summary>
    public IAgent CreateExpert(IEnvironment environment, DemoStyle style = DemoStyle.Scripted) => CreateExpertAgent(environment, style);
}
