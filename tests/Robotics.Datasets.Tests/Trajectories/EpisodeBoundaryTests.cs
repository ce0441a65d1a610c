using System.Runtime.InteropServices;
using FsCheck.Xunit;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;
using Robotics.Datasets.Transforms;

namespace Robotics.Datasets.Tests.Trajectories;

public sealed class EpisodeBoundaryTests
{
    [Fact]
    public void Episode_index_decides_boundaries_and_flags_only_say_how_an_episode_ended()
    {
        long[] ids = [3, 3, 3, 3, 8, 8, 1, 1, 1];
        bool[] terminals = [false, true, false, true, false, false, true, false, false]; // row 1: a success inside episode 3
        bool[] timeouts = [false, false, false, false, false, true, false, false, false];
        var episodes = EpisodeSplitter.SplitByIndex(ids, terminals, timeouts);
        Assert.Equal([(0L, 4, true, false, 3L), (4L, 2, false, true, 8L), (6L, 3, false, false, 1L)],
            episodes.Select(e => (e.Start, e.Length, e.Terminated, e.TimedOut, e.Id!.Value)));
        Assert.Equal([0, 1, 2], episodes.Select(e => e.Index));
    }

    [Fact]
    public void Without_an_index_flat_datasets_and_sources_split_at_terminals_and_timeouts()
    {
        var ds = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_small.hdf5"));
        Assert.False(ds.HasColumn(D4rlKeys.EpisodeIndex));
        var expected = EpisodeSplitter.Split(ds.Flags(D4rlKeys.Terminals), ds.Flags(D4rlKeys.Timeouts));
        Assert.Equal(expected, ds.Episodes());
        using var file = Hdf5TrajectoryFile.Open(Fixtures.Path("d4rl_small.hdf5"));
        Assert.Equal(expected, file.Episodes());
        Assert.All(expected, e => Assert.Null(e.Id));
    }

    [Property(MaxTest = 200)]
    public void In_memory_and_streamed_episodes_agree_and_every_episode_is_one_index_run(byte[] changes, bool[] terminalBits)
    {
        if (changes.Length == 0)
            return;
        // the id changes where changes[i] % 4 == 0; ids are not sorted and may repeat non-adjacently
        var ids = new long[changes.Length];
        for (int i = 1; i < ids.Length; i++)
            ids[i] = changes[i] % 4 == 0 ? (ids[i - 1] + 7) % 5 : ids[i - 1];
        bool[] terminals = Enumerable.Range(0, ids.Length).Select(i => i < terminalBits.Length && terminalBits[i]).ToArray();
        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            [D4rlKeys.Terminals] = new(DType.Bool, [ids.Length], terminals.Select(b => b ? (byte)1 : (byte)0).ToArray()),
            [D4rlKeys.EpisodeIndex] = new(DType.Int32, [ids.Length], MemoryMarshal.AsBytes(ids.Select(i => (int)i).ToArray().AsSpan()).ToArray()),
        });
        var episodes = ds.Episodes();
        Assert.Equal(episodes, new FlatDatasetSource(ds).Episodes());
        Assert.Equal(0, episodes[0].Start);
        Assert.Equal(ids.Length, episodes[^1].End);
        Assert.All(episodes, e => Assert.All(Enumerable.Range(0, e.Length), k => Assert.Equal(e.Id, ids[e.Start + k])));
        Assert.All(episodes.Zip(episodes.Skip(1)), p => Assert.NotEqual(p.First.Id, ids[p.Second.Start]));
        Assert.All(episodes, e => Assert.Equal(terminals[e.End - 1], e.Terminated));
    }

    [Fact]
    public void Max_episode_steps_restores_the_time_limit_ends_of_a_d4rl_v0_file()
    {
        // tools/python/make_episode_fixtures.py: observations[:, 0] = true episode number,
        // observations[:, 1] = step in it; no timeouts key (D4RL v0); time limit 10.
        var ds = D4rlHdf5Reader.Read(Fixtures.Path("d4rl_v0_no_timeouts.hdf5"));
        Assert.False(ds.HasColumn(D4rlKeys.Timeouts));
        var obs = ds.Floats(D4rlKeys.Observations).ToArray();
        int n = (int)ds.RowCount;
        var truth = Enumerable.Range(0, n).GroupBy(i => obs[i * 3]).Select(g => (Start: (long)g.First(), Length: g.Count())).ToList();
        Assert.True(ds.Episodes().Count < truth.Count, "without timeouts the time-limited episodes run together");

        var (split, added) = TimeLimitSplit.Apply(ds, 10);
        var episodes = split.Episodes();
        Assert.Equal(truth, episodes.Select(e => (e.Start, e.Length)));
        bool[] terminals = ds.Flags(D4rlKeys.Terminals);
        // every true episode of 10 rows that does not end in a terminal now ends in a timeout
        int expectedAdded = truth.Count(e => e.Length == 10 && !terminals[e.Start + e.Length - 1]);
        Assert.Equal(expectedAdded, added);
        Assert.All(episodes.Where(e => e.Length == 10 && !e.Terminated), e => Assert.True(e.TimedOut));
        Assert.False(episodes[^1].Finished); // the 6 trailing rows stay unfinished
        Assert.Equal(ds.Column(D4rlKeys.Observations).Data, split.Column(D4rlKeys.Observations).Data);
        Assert.Same(split, TimeLimitSplit.Apply(split, 10).Dataset); // already split: unchanged
    }

    [Fact]
    public void Max_episode_steps_gives_new_pieces_new_ids_and_keeps_the_first_id()
    {
        long[] ids = [4, 4, 4, 4, 4, 4, 4, 2, 2];
        var ds = new FlatDataset(new Dictionary<string, NdArray>
        {
            [D4rlKeys.Terminals] = new(DType.Bool, [9], [0, 0, 0, 0, 0, 0, 1, 0, 1]),
            [D4rlKeys.EpisodeIndex] = new(DType.Int64, [9], MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()),
        });
        var (split, added) = TimeLimitSplit.Apply(ds, 3);
        Assert.Equal(2, added);
        Assert.Equal([4L, 4, 4, 5, 5, 5, 6, 2, 2], split.Column(D4rlKeys.EpisodeIndex).AsSpan<long>().ToArray());
        Assert.Equal([3, 3, 1, 2], split.Episodes().Select(e => e.Length));
        Assert.Equal([false, false, true, false, false, true, false, false, false], split.Flags(D4rlKeys.Timeouts));
    }

    [Fact]
    public void Filled_rewards_are_constant_and_recorded_in_metadata()
    {
        var ds = new FlatDataset(new Dictionary<string, NdArray> { [D4rlKeys.Actions] = NdArray.FromFloats([1, 2, 3], 3, 1) });
        var filled = RewardFill.Apply(ds, -1.5f);
        Assert.Equal([-1.5f, -1.5f, -1.5f], filled.Floats(D4rlKeys.Rewards).ToArray());
        Assert.Equal(-1.5f, filled.Metadata[RewardFill.FilledRewardsKey].Array!.ToFloats()[0]);
        Assert.Throws<InvalidOperationException>(() => RewardFill.Apply(filled, 0f));
    }
}
