using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>
/// Per-sample random draws that do not depend on how the batch is split between processes: with a shard, the draw is
/// made for the global batch (same generator, same order) and the shard's rows are kept. Without one it is the plain
/// draw. Costs the other ranks' share of random numbers, which is small next to a forward pass.
/// </summary>
public static class ShardedRandom
{
    /// <param name="shape">The local shape; its first axis is the batch.</param>
    public static Tensor Rand(long[] shape, Generator generator, Device device, BatchShard? shard) =>
        shard is null
            ? rand(shape, generator: generator, device: device)
            : rand([shard.Global, .. shape[1..]], generator: generator, device: device).narrow(0, shard.Offset, shape[0]);

    /// <param name="shape">The local shape; its first axis is the batch.</param>
    public static Tensor Randn(long[] shape, Generator generator, Device device, BatchShard? shard) =>
        shard is null
            ? randn(shape, generator: generator, device: device)
            : randn([shard.Global, .. shape[1..]], generator: generator, device: device).narrow(0, shard.Offset, shape[0]);
}
