namespace Robotics.Datasets.Trajectories;

/// <summary>
/// Splits a flat store into episodes at rows where terminals or timeouts are set (that row is the
/// episode's last). Rows after the last boundary form a trailing unfinished episode, kept here so
/// samplers can still use them; D4RL's sequence_dataset drops it (see <see cref="D4rl.SequenceDataset"/>).
/// </summary>
public static class EpisodeSplitter
{
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
}
