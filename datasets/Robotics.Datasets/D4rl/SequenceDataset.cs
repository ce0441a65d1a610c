using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.D4rl;

/// <summary>
/// d4rl.sequence_dataset, rule for rule: walks rows 0..N-1 and closes an episode at a row where
/// terminals[i] or the final timestep holds (timeouts[i] when present, else
/// episode_step == max_episode_steps - 1), that row included. A trailing unfinished episode is not
/// yielded, and metadata keys are not copied. The step counter restarts at 0 then increments, so
/// without timeouts the episodes after the first are one step shorter, as in the reference.
/// </summary>
public static class SequenceDataset
{
    /// <summary>The episode ranges sequence_dataset would yield.</summary>
    public static IReadOnlyList<EpisodeRange> Ranges(ReadOnlySpan<bool> terminals, ReadOnlySpan<bool> timeouts, int maxEpisodeSteps)
    {
        bool useTimeouts = timeouts.Length > 0;
        var ranges = new List<EpisodeRange>();
        long start = 0;
        int episodeStep = 0;
        for (int i = 0; i < terminals.Length; i++)
        {
            bool final = useTimeouts ? timeouts[i] : episodeStep == maxEpisodeSteps - 1;
            if (terminals[i] || final)
            {
                episodeStep = 0;
                ranges.Add(new EpisodeRange(ranges.Count, start, checked((int)(i + 1 - start)), terminals[i], final));
                start = i + 1;
            }

            episodeStep++;
        }

        return ranges;
    }

    /// <summary>One dataset per episode, holding every column's rows (metadata dropped).</summary>
    public static IEnumerable<FlatDataset> Episodes(FlatDataset dataset, int? maxEpisodeSteps = null)
    {
        bool[] terminals = dataset.Flags(D4rlKeys.Terminals);
        bool[]? timeouts = dataset.HasColumn(D4rlKeys.Timeouts) ? dataset.Flags(D4rlKeys.Timeouts) : null;
        if (timeouts is null && maxEpisodeSteps is null)
            throw new ArgumentException("The dataset has no timeouts, so max_episode_steps is needed to find episode ends.", nameof(maxEpisodeSteps));
        var withoutMetadata = new FlatDataset(dataset.Columns);
        foreach (var range in Ranges(terminals, timeouts ?? [], maxEpisodeSteps ?? 0))
            yield return withoutMetadata.Slice(range.Start, range.Length);
    }
}
