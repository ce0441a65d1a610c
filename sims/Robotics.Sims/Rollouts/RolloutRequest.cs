using Robotics.Sims.Agents;
using Robotics.Sims.Environments;

namespace Robotics.Sims.Rollouts;

/// <summary>
/// What to roll out: an environment by id, how many episodes, a base seed (episode i always gets
/// the same seed, task, noise and fault whichever worker runs it), tasks to cycle through (null:
/// drawn from each episode's seed), action noise, the fraction of episodes with an injected fault
/// and the kinds to draw from, worker threads (0: one per core), the agent (null: the expert) and the expert's
/// demonstration style.
/// </summary>
public sealed record RolloutRequest(
    string EnvironmentId,
    int Episodes,
    long Seed = 0,
    IReadOnlyList<int>? Tasks = null,
    double NoiseStd = 0.0,
    double FailureRate = 0.0,
    IReadOnlyList<string>? FailureKinds = null,
    int Workers = 0,
    bool RecordSteps = true,
    Func<IEnvironment, IAgent>? CreateAgent = null,
    DemoStyle Style = DemoStyle.Scripted)
{
    public void Validate()
    {
        if (Episodes <= 0)
            throw new ArgumentOutOfRangeException(nameof(Episodes), Episodes, "Episodes must be positive.");
        if (!double.IsFinite(NoiseStd) || NoiseStd < 0)
            throw new ArgumentOutOfRangeException(nameof(NoiseStd), NoiseStd, "Noise must be a finite, non-negative standard deviation.");
        if (!(FailureRate >= 0 && FailureRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(FailureRate), FailureRate, "Failure rate must lie in [0, 1].");
        if (Workers < 0)
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be 0 (one per core) or positive.");
    }
}
