using Robotics.Core.Arrays;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// B training windows. Observations[key] is [B, history, ...row] in the stored dtype (uint8 images
/// stay uint8); Actions is float32 [B, horizon, ...row]. Masks are row-major [B, history] and
/// [B, horizon]: false marks a padded frame (repeated from the episode edge). HasActions is false for
/// windows from an action-free corpus (their actions are zeros, all masked). Future[key] is [B, ...row]:
/// the observation <see cref="WindowSamplerOptions.FutureOffset"/> steps after the current frame.
/// </summary>
public sealed record SampleBatch(
    long BatchIndex,
    IReadOnlyDictionary<string, NdArray> Observations,
    NdArray Actions,
    bool[] ObservationMask,
    bool[] ActionMask,
    long[] TaskIndex,
    int[] CorpusIndex,
    int[] EpisodeIndex,
    int[] StepInEpisode,
    bool[] HasActions,
    IReadOnlyDictionary<string, NdArray> Future)
{
    public int BatchSize => TaskIndex.Length;
}
