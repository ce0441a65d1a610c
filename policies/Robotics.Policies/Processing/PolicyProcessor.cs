using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Nn;
using static TorchSharp.torch;

namespace Robotics.Policies.Processing;

/// <summary>
/// The policy's processors: normalisation of states and actions (per-feature mode from the config, see
/// <see cref="AffineNormalizer"/>), instruction hashing,
/// and conversion between plain arrays and tensors on the model's device. Saved with the policy.
/// </summary>
public sealed class PolicyProcessor
{
    private readonly PolicyConfig config;
    private readonly AffineNormalizer state;
    private readonly AffineNormalizer action;
    private readonly NgramHasher hasher;
    // A corpus has a handful of instructions; hashing each once instead of once per sample per step.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> hashed = new(StringComparer.Ordinal);

    public PolicyProcessor(PolicyConfig config, NormalizationStats stats)
    {
        this.config = config;
        Stats = stats;
        state = AffineNormalizer.Create(config.StateNormalization, stats.State);
        action = AffineNormalizer.Create(config.ActionNormalization, stats.Action);
        if (state.Dim != config.StateDim || action.Dim != config.ActionDim)
            throw new ArgumentException($"Normalisation statistics are for state {state.Dim} / action {action.Dim}, the policy has {config.StateDim} / {config.ActionDim}.");
        hasher = new NgramHasher(config.TextBuckets);
    }

    public NormalizationStats Stats { get; }

    /// <param name="shard">For one data-parallel rank: which rows of the global batch <paramref name="raw"/> is.</param>
    public PolicyBatch ToBatch(RawBatch raw, Device device, BatchShard? shard = null)
    {
        int b = raw.Size, n = config.ObservationHistory, h = config.Horizon;
        var (ids, offsets) = Text(raw.Instructions);
        return new PolicyBatch
        {
            State = tensor(state.Normalize(raw.State), [b, n, config.StateDim], device: device),
            Images = raw.Images is null ? null : Images(raw.Images, b, device),
            TaskIndex = tensor(raw.TaskIndex, device: device),
            TextIds = tensor(ids, device: device),
            TextOffsets = tensor(offsets, device: device),
            Actions = tensor(action.Normalize(raw.Actions), [b, h, config.ActionDim], device: device),
            ActionMask = tensor(raw.ActionMask, [b, h], device: device),
            HasActions = tensor(raw.HasActions, device: device),
            FutureState = tensor(state.Normalize(raw.FutureState), [b, config.StateDim], device: device),
            Shard = shard,
        };
    }

    /// <summary>An inference batch of one: <paramref name="history"/> holds n_obs states (oldest first).</summary>
    public PolicyBatch ObservationBatch(IReadOnlyList<float[]> history, IReadOnlyList<byte[][]>? images, int? taskIndex, string? instruction, Device device)
    {
        var flat = history.SelectMany(s => s).ToArray();
        var (ids, offsets) = Text([instruction]);
        return new PolicyBatch
        {
            State = tensor(state.Normalize(flat), [1, history.Count, config.StateDim], device: device),
            Images = images is null ? null : Images(images.SelectMany(f => f.SelectMany(c => c)).ToArray(), 1, device),
            TaskIndex = tensor(new long[] { taskIndex ?? -1 }, device: device),
            TextIds = tensor(ids, device: device),
            TextOffsets = tensor(offsets, device: device),
        };
    }

    /// <summary>Sample <paramref name="index"/> of a normalised (B, H, A) chunk, in environment units.</summary>
    public float[][] ActionsToEnvironment(Tensor normalised, int index = 0)
    {
        var values = normalised[index].to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        var env = action.Unnormalize(values);
        return Enumerable.Range(0, config.Horizon).Select(k => env.AsSpan(k * config.ActionDim, config.ActionDim).ToArray()).ToArray();
    }

    public float[] StateToEnvironment(float[] normalised) => state.Unnormalize(normalised);

    public float[] NormalizeState(float[] values) => state.Normalize(values);

    public float[] NormalizeActions(float[] values) => action.Normalize(values);

    private Tensor Images(byte[] bytes, int b, Device device)
    {
        int[] s = config.ImageShape;
        return tensor(bytes, [b, config.ObservationHistory, config.Cameras.Count, s[0], s[1], s[2]], device: device);
    }

    private (long[] Ids, long[] Offsets) Text(IReadOnlyList<string?> instructions)
    {
        var ids = new List<long>();
        var offsets = new long[instructions.Count];
        for (int i = 0; i < instructions.Count; i++)
        {
            offsets[i] = ids.Count;
            if (instructions[i] is string text)
                ids.AddRange(hashed.GetOrAdd(text, hasher.Hash));
        }

        return (ids.ToArray(), offsets);
    }
}
