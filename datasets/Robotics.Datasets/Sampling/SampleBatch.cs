using Robotics.Core.Arrays;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// B training windows. Observations[key] is [B, history, ...row] in the stored dtype (uint8 images
/// stay uint8); Actions is float32 [B, horizon, ...row]. Masks are row-major [B, history] and
/// [B, horizon]: false marks a padded frame (repeated from the episode edge).
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
    int[] StepInEpisode)
{
    public int BatchSize => TaskIndex.Length;
}
