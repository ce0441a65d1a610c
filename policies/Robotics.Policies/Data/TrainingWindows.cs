using Robotics.Core.Shapes;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;
using Robotics.Policies.Training;

namespace Robotics.Policies.Data;

/// <summary>
/// The windows a policy trains on, as the datasets library's sampler cuts them (Diffusion Policy's layout): for a
/// step t the observation history is frames t-n+1..t (frame 0 repeated before the start), the action chunk
/// t..t+H-1 (the last action repeated past the end), and the world-model target the state at t+H (clamped to the
/// last frame). The state is the observations column with the goal column appended when the policy has one;
/// camera NAME is read from the column observation.images.NAME (LeRobot's name, and the key the policy is served). Episodes are cut where the goal changes and, unless asked otherwise,
/// only successful episodes of at least two rows are drawn.
/// </summary>
public static class TrainingWindows
{
    /// <summary>The columns concatenated into the policy's state, in order.</summary>
    public static IReadOnlyList<string> StateKeys(PolicyConfig config) =>
        config.GoalKey is { } goal ? [D4rlKeys.Observations, goal] : [D4rlKeys.Observations];

    public static WindowSamplerOptions Options(PolicyConfig config, TrainingOptions training, long seed, bool includeFailures) => new()
    {
        ObservationHistory = config.ObservationHistory,
        ActionHorizon = config.Horizon,
        ObservationKeys = [.. StateKeys(config), .. config.Cameras.Select(FeatureKeys.Image)],
        FutureKeys = StateKeys(config),
        FutureOffset = config.Horizon,
        ActionKey = D4rlKeys.Actions,
        TaskIndexKey = D4rlKeys.TaskIndex,
        SuccessKey = includeFailures ? null : D4rlKeys.Success,
        SegmentKey = config.GoalKey,
        MinEpisodeLength = 2,
        BatchSize = training.BatchSize,
        Seed = unchecked((ulong)seed),
        CacheBytes = (long)training.DataCacheMegabytes << 20,
        BlockRows = training.DataBlockRows,
        ResidentBlocks = training.DataResidentBlocks,
        BatchesPerRotation = training.DataBatchesPerRotation,
    };
}
