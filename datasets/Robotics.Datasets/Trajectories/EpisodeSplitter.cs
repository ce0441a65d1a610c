namespace Robotics.Datasets.Trajectories;

/// <summary>
/// Finds the episodes of a flat store. When the store has infos/episode_index (every reader of ours
/// fills it: robomimic demo numbers, Minari episode ids, LeRobot episode_index, recorded episodes),
/// an episode is a maximal run of rows with the same index, whatever terminals say: robomimic's
/// done mode 2 sets dones at every success step while recording goes on, so a terminal is not an
/// episode end there. Otherwise episodes end at rows where terminals or timeouts are set (that row
/// is the episode's last), as D4RL lays them out. Rows after the last boundary form a trailing
/// unfinished episode, kept here so samplers can still use them; D4RL's sequence_dataset drops it
/// (see <see cref="D4rl.SequenceDataset"/>).
/// </summary>
public static class EpisodeSplitter
{
    /// <summary>Split at terminals/timeouts (D4RL files without infos/episode_index).</summary>
    public static IReadOnlyList<EpisodeRange> Split(ReadOnlySpan<bool> terminals, ReadOnlySpan<bool> timeouts)
    {
        if (!timeouts.IsEmpty && timeouts.Length != terminals.Length)
            throw new InvalidDataException($"terminals has {terminals.Length} rows but timeouts has {timeouts.Length}.");
        var episodes = new List<EpisodeRange>();
        long start = 0;
        for (int i = 0; i < terminals.Length; i++)
        {
            bool timeout = !timeouts.IsEmpty && timeouts[i];
            if (terminals[i] || timeout)
            {
                episodes.Add(new EpisodeRange(episodes.Count, start, checked((int)(i + 1 - start)), terminals[i], timeout));
                start = i + 1;
            }
        }

        if (start < terminals.Length)
            episodes.Add(new EpisodeRange(episodes.Count, start, checked((int)(terminals.Length - start)), false, false));
        return episodes;
    }

    public static IReadOnlyList<EpisodeRange> Split(bool[] terminals, bool[]? timeouts) =>
        Split(terminals.AsSpan(), timeouts is null ? ReadOnlySpan<bool>.Empty : timeouts.AsSpan());

    /// <summary>
    /// Split where infos/episode_index changes. Terminals and timeouts (either may be empty) only say
    /// how each episode ended: their value on its last row.
    /// </summary>
    public static IReadOnlyList<EpisodeRange> SplitByIndex(ReadOnlySpan<long> episodeIndex, ReadOnlySpan<bool> terminals, ReadOnlySpan<bool> timeouts)
    {
        if (!terminals.IsEmpty && terminals.Length != episodeIndex.Length)
            throw new InvalidDataException($"infos/episode_index has {episodeIndex.Length} rows but terminals has {terminals.Length}.");
        if (!timeouts.IsEmpty && timeouts.Length != episodeIndex.Length)
            throw new InvalidDataException($"infos/episode_index has {episodeIndex.Length} rows but timeouts has {timeouts.Length}.");
        var episodes = new List<EpisodeRange>();
        long start = 0;
        for (int i = 0; i < episodeIndex.Length; i++)
        {
            if (i + 1 < episodeIndex.Length && episodeIndex[i + 1] == episodeIndex[i])
                continue;
            episodes.Add(new EpisodeRange(episodes.Count, start, checked((int)(i + 1 - start)),
                !terminals.IsEmpty && terminals[i], !timeouts.IsEmpty && timeouts[i], episodeIndex[i]));
            start = i + 1;
        }

        return episodes;
    }

    /// <summary>By infos/episode_index when given, else at terminals/timeouts (terminals then required).</summary>
    public static IReadOnlyList<EpisodeRange> Split(long[]? episodeIndex, bool[]? terminals, bool[]? timeouts)
    {
        if (episodeIndex is not null)
            return SplitByIndex(episodeIndex, terminals ?? [], timeouts ?? []);
        return terminals is not null
            ? Split(terminals, timeouts)
            : throw new InvalidDataException($"Episodes need '{D4rlKeys.EpisodeIndex}' or '{D4rlKeys.Terminals}'; the dataset has neither.");
    }
}
