using System.Runtime.InteropServices;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Transforms;

/// <summary>
/// Restores time-limit episode ends that a file does not record. D4RL v0 files have no timeouts:
/// every episode cut by the environment's TimeLimit simply runs into the next one, and d4rl's own
/// readers (qlearning_dataset, sequence_dataset) then end an episode when the step counter reaches
/// env._max_episode_steps. Here an episode longer than <c>maxEpisodeSteps</c> rows is cut after
/// every maxEpisodeSteps rows, counted from its first row, and the cut row gets timeouts = true;
/// an unfinished last episode of that length or more is closed the same way. A terminal row is
/// never also marked a timeout. Files whose episodes are all short enough come back unchanged.
/// <para>
/// Counting differs from d4rl in one place, on purpose: after a reset d4rl's counters restart at 0
/// and then increment on the same row, so sequence_dataset (always) and qlearning_dataset (after a
/// terminal) end the following time-limited episode one row early. Real TimeLimit episodes have
/// exactly N rows; the d4rl quirk itself is reproduced by <see cref="D4rl.SequenceDataset"/> and
/// <see cref="D4rl.QLearningDataset"/> (robotics dataset qlearning --max-episode-steps).
/// </para>
/// When the dataset has infos/episode_index, the first piece of a cut episode keeps its id and the
/// further pieces get new ids above the largest, so masks and per-episode attributes keyed by id
/// still point at (the start of) the episode they meant.
/// </summary>
public static class TimeLimitSplit
{
    /// <summary>The dataset with the time-limit ends added, and how many rows became new episode ends.</summary>
    public static (FlatDataset Dataset, int AddedEnds) Apply(FlatDataset dataset, int maxEpisodeSteps)
    {
        var ends = Compute(dataset.Episodes(),
            dataset.HasColumn(D4rlKeys.Terminals) ? dataset.Flags(D4rlKeys.Terminals) : new bool[dataset.RowCount],
            dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.Flags(D4rlKeys.Timeouts) : new bool[dataset.RowCount],
            dataset.EpisodeIndex(), maxEpisodeSteps);
        if (ends.Added == 0)
            return (dataset, 0);
        var result = dataset.WithColumn(D4rlKeys.Timeouts, ends.Timeouts);
        if (ends.Index is not null)
            result = result.WithColumn(D4rlKeys.EpisodeIndex, ends.Index);
        return (result, ends.Added);
    }

    /// <summary>
    /// The same for a source read in blocks (a corpus larger than memory): only the flag and index columns are
    /// held (1 and 8 bytes per row); the new timeouts / episode_index overlay the source's.
    /// </summary>
    public static (ITrajectorySource Source, int AddedEnds) Apply(ITrajectorySource source, int maxEpisodeSteps)
    {
        var ends = Compute(source.Episodes(),
            source.HasColumn(D4rlKeys.Terminals) ? source.ReadFlags(D4rlKeys.Terminals) : new bool[source.RowCount],
            source.HasColumn(D4rlKeys.Timeouts) ? source.ReadFlags(D4rlKeys.Timeouts) : new bool[source.RowCount],
            source.HasColumn(D4rlKeys.EpisodeIndex) ? source.ReadEpisodeIndex() : null, maxEpisodeSteps);
        if (ends.Added == 0)
            return (source, 0);
        var columns = new List<(ColumnInfo, OverlaySource.RowReader)> { OverlaySource.ArrayColumn(D4rlKeys.Timeouts, ends.Timeouts) };
        if (ends.Index is not null)
            columns.Add(OverlaySource.ArrayColumn(D4rlKeys.EpisodeIndex, ends.Index));
        return (new OverlaySource(source, columns), ends.Added);
    }

    private static (NdArray Timeouts, NdArray? Index, int Added) Compute(IReadOnlyList<EpisodeRange> episodes, bool[] terminals, bool[] timeouts, long[]? index, int maxEpisodeSteps)
    {
        if (maxEpisodeSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "must be at least 1");
        long nextId = index is { Length: > 0 } ? index.Max() + 1 : 0;
        int added = 0;
        foreach (var episode in episodes)
        {
            for (int k = maxEpisodeSteps - 1; k < episode.Length; k += maxEpisodeSteps)
            {
                long row = episode.Start + k;
                bool last = k + 1 == episode.Length;
                if (last && episode.Finished)
                    continue; // already ends here
                if (!terminals[row])
                    timeouts[row] = true; // a terminal inside an indexed episode (robomimic success) ends it by itself
                added++;
                if (index is not null && !last)
                {
                    // The rows after the cut become a new episode for readers that follow the index.
                    long end = Math.Min(episode.End, row + 1 + maxEpisodeSteps);
                    for (long r = row + 1; r < end; r++)
                        index[r] = nextId;
                    nextId++;
                }
            }
        }

        return (new NdArray(DType.Bool, [timeouts.Length], timeouts.Select(f => f ? (byte)1 : (byte)0).ToArray()),
            index is null ? null : new NdArray(DType.Int64, [index.Length], MemoryMarshal.AsBytes(index.AsSpan()).ToArray()),
            added);
    }
}
