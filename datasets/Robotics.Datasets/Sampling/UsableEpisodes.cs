using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Sampling;

/// <summary>
/// The episodes a sampler draws windows from: the corpus's episodes (<see cref="TrajectorySourceExtensions.Episodes"/>),
/// cut where <see cref="WindowSamplerOptions.SegmentKey"/> changes value (D4RL's maze2d corpora are one trajectory
/// through many goals: a window across a goal change would condition on one goal and imitate actions taken towards
/// the next), without those labelled unsuccessful under <see cref="WindowSamplerOptions.SuccessKey"/> (behaviour
/// cloning imitates whatever it is shown), and without those shorter than
/// <see cref="WindowSamplerOptions.MinEpisodeLength"/>. Reads only the index, flag and segment columns, by blocks.
/// </summary>
public static class UsableEpisodes
{
    public static IReadOnlyList<EpisodeRange> Find(ITrajectorySource source, WindowSamplerOptions options, int blockRows = 1 << 14)
    {
        var episodes = source.Episodes();
        if (options.SegmentKey is { } segmentKey && source.HasColumn(segmentKey))
            episodes = Segment(source, episodes, segmentKey, blockRows);
        bool[]? success = options.SuccessKey is { } successKey && source.HasColumn(successKey) ? source.ReadFlags(successKey) : null;
        var usable = new List<EpisodeRange>();
        foreach (var episode in episodes)
        {
            if (episode.Length < options.MinEpisodeLength || (success is not null && !success[episode.Start]))
                continue;
            usable.Add(episode with { Index = usable.Count });
        }

        return usable;
    }

    /// <summary>Cuts each episode wherever a row of <paramref name="key"/> differs from the row before it.</summary>
    private static List<EpisodeRange> Segment(ITrajectorySource source, IReadOnlyList<EpisodeRange> episodes, string key, int blockRows)
    {
        var info = source.Column(key);
        var changes = new List<long>();
        var buffer = new byte[(long)blockRows * info.RowBytes];
        var previous = new byte[info.RowBytes];
        for (long start = 0; start < source.RowCount; start += blockRows)
        {
            int count = (int)Math.Min(blockRows, source.RowCount - start);
            source.ReadRows(key, start, count, buffer.AsSpan(0, count * info.RowBytes));
            for (int r = 0; r < count; r++)
            {
                var row = buffer.AsSpan(r * info.RowBytes, info.RowBytes);
                if (start + r > 0 && !row.SequenceEqual(previous))
                    changes.Add(start + r);
                row.CopyTo(previous);
            }
        }

        var result = new List<EpisodeRange>();
        int next = 0;
        foreach (var episode in episodes)
        {
            while (next < changes.Count && changes[next] <= episode.Start)
                next++;
            long begin = episode.Start;
            for (int c = next; c < changes.Count && changes[c] < episode.End; c++)
            {
                result.Add(episode with { Start = begin, Length = (int)(changes[c] - begin), Terminated = false, TimedOut = false });
                begin = changes[c];
            }

            result.Add(episode with { Start = begin, Length = (int)(episode.End - begin) });
        }

        return result;
    }
}
