using Robotics.Policies.Data;
using Robotics.Policies.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Nn;

/// <summary>Data-parallel ranks see the per-sample noise and the rows a one-process run would give those samples.</summary>
[Collection(TorchCollection.Name)]
public sealed class ShardedRandomTests
{
    [Fact]
    public void A_shard_draws_the_rows_of_the_global_draw_and_no_shard_is_the_plain_draw()
    {
        using var whole = new Generator(11, CPU);
        using var first = new Generator(11, CPU);
        using var second = new Generator(11, CPU);
        using var plain = new Generator(11, CPU);
        var global = randn([8, 3, 2], generator: whole);
        var a = ShardedRandom.Randn([4, 3, 2], first, CPU, new BatchShard(0, 8));
        var b = ShardedRandom.Randn([4, 3, 2], second, CPU, new BatchShard(4, 8));
        Assert.True(cat([a, b], 0).eq(global).all().item<bool>());
        Assert.True(ShardedRandom.Randn([8, 3, 2], plain, CPU, null).eq(global).all().item<bool>());
        // The generator advanced by the global draw on every rank, so the next draw agrees too.
        Assert.True(ShardedRandom.Rand([4], first, CPU, new BatchShard(0, 8)).eq(rand([8], generator: whole).narrow(0, 0, 4)).all().item<bool>());
    }

    [Fact]
    public void Rows_cut_every_per_sample_array_of_a_raw_batch()
    {
        var raw = new RawBatch(4, [0, 1, 2, 3, 4, 5, 6, 7], null, [10, 11, 12, 13], ["a", "b", null, "d"], Enumerable.Range(0, 12).Select(i => (float)i).ToArray(),
            [1, 1, 1, 1, 1, 1, 1, 0], [1, 1, 0, 1], [9, 9, 8, 8, 7, 7, 6, 6]);
        var rows = raw.Rows(2, 2);
        Assert.Equal(2, rows.Size);
        Assert.Equal([4f, 5, 6, 7], rows.State);
        Assert.Equal([12L, 13], rows.TaskIndex);
        Assert.Equal(new string?[] { null, "d" }, rows.Instructions.AsEnumerable());
        Assert.Equal([6f, 7, 8, 9, 10, 11], rows.Actions);
        Assert.Equal([1f, 1, 1, 0], rows.ActionMask);
        Assert.Equal([0f, 1], rows.HasActions);
        Assert.Equal([7f, 7, 6, 6], rows.FutureState);
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.Rows(3, 2));
    }
}
