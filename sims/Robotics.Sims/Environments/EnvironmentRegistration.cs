using Robotics.Sims.Agents;
using Robotics.Sims.Failures;

namespace Robotics.Sims.Environments;

/// <summary>
/// One registered environment: how to build it, its scripted expert, and (where the scene supports
/// it) its failure injector.
/// </summary>
public sealed record EnvironmentRegistration(
    string Id,
    string Description,
    Func<IEnvironment> Create,
    Func<IEnvironment, IAgent> CreateExpert,
    Func<IFailureInjector>? CreateFailureInjector = null);
