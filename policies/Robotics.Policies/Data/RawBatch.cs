namespace Robotics.Policies.Data;

/// <summary>
/// A training batch as plain arrays in environment units, flat C-order: State (B, n_obs, S), Images
/// (B, n_obs, cams, H, W, C) or null, Actions (B, H, A), ActionMask (B, H), HasActions (B), FutureState (B, S).
/// </summary>
public sealed record RawBatch(
    int Size,
    float[] State,
    byte[]? Images,
    long[] TaskIndex,
    string?[] Instructions,
    float[] Actions,
    float[] ActionMask,
    float[] HasActions,
    float[] FutureState);
