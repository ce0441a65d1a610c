using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>
/// A batch as the networks see it, already normalised and on the model's device.
/// State (B, n_obs, S); Images (B, n_obs, cams, H, W, C) uint8 or null; TaskIndex (B) long (-1 = unknown);
/// TextIds / TextOffsets the hashed instruction n-grams as an EmbeddingBag input. Training adds Actions (B, H, A),
/// ActionMask (B, H) (0 where the chunk ran past the episode end), HasActions (B) (0 for action-free episodes)
/// and FutureState (B, S) for the world-model head. Tensors stay inside policies/.
/// </summary>
public sealed class PolicyBatch : IDisposable
{
    public required Tensor State { get; init; }
    public Tensor? Images { get; init; }
    public required Tensor TaskIndex { get; init; }
    public required Tensor TextIds { get; init; }
    public required Tensor TextOffsets { get; init; }
    public Tensor? Actions { get; init; }
    public Tensor? ActionMask { get; init; }
    public Tensor? HasActions { get; init; }
    public Tensor? FutureState { get; init; }

    /// <summary>The rows of the global batch this process holds (data-parallel training); null when it holds all.</summary>
    public BatchShard? Shard { get; init; }

    public long Size => State.shape[0];

    public void Dispose()
    {
        foreach (var t in new[] { State, Images, TaskIndex, TextIds, TextOffsets, Actions, ActionMask, HasActions, FutureState })
            t?.Dispose();
    }
}
