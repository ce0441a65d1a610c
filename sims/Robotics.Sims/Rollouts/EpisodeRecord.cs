using Robotics.Sims.Failures;

namespace Robotics.Sims.Rollouts;

/// <summary>
/// One finished episode. Step arrays hold T rows (observation seen, action taken, reward received);
/// <see cref="FinalObservation"/> is the state after the last step. Empty arrays when steps were not recorded.
/// <see cref="StepInfos"/>: per-step values a modal agent reported (name -> T values), empty when none.
/// </summary>
public sealed record EpisodeRecord(
    int Index,
    long Seed,
    int TaskIndex,
    string Instruction,
    int Length,
    double Return,
    bool Success,
    bool Terminated,
    bool Truncated,
    FailurePlan? Failure,
    int WarningCount,
    float[][] Observations,
    float[][] Actions,
    float[] Rewards,
    float[] FinalObservation,
    IReadOnlyDictionary<string, float[]> StepInfos)
{
    public string FailureKind => Failure?.Kind ?? FailurePlan.None;
}
