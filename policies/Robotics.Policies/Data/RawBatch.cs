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
    float[] FutureState)
{
    /// <summary>Samples [offset, offset + count) of this batch (one data-parallel rank's share).</summary>
    public RawBatch Rows(int offset, int count)
    {
        if (offset < 0 || count < 1 || offset + count > Size)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows [{offset}, {offset + count}) of a batch of {Size}");
        T[] Cut<T>(T[] all) => all.AsSpan(all.Length / Size * offset, all.Length / Size * count).ToArray();
        return new RawBatch(count, Cut(State), Images is null ? null : Cut(Images), Cut(TaskIndex), Cut(Instructions), Cut(Actions), Cut(ActionMask),
            Cut(HasActions), Cut(FutureState));
    }
}
