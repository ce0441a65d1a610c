using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Formats.Robomimic.Internal;

/// <summary>
/// Demo group names for the episodes being written, and filter keys (masks) carried over to them.
/// Names keep the source's demo numbers (episode ids from infos/episode_index) when those are
/// distinct, so masks and per-demo attributes still refer to the same demos; otherwise demos are
/// numbered 0..E-1 and every mask entry is translated to the new name(s) of the demo it named.
/// A mask entry whose demo is not written (the other half of a split) is dropped, so a mask never
/// names a missing demo and a valid mask can never point at a train demo.
/// </summary>
internal sealed class DemoNaming
{
    private readonly Dictionary<long, List<string>> _byId = [];

    private DemoNaming(IReadOnlyList<EpisodeRange> episodes)
    {
        bool keepIds = episodes.All(e => e.Id is >= 0) && episodes.Select(e => e.Id).Distinct().Count() == episodes.Count;
        Names = episodes.Select(e => $"demo_{(keepIds ? e.Id!.Value : e.Index)}").ToArray();
        for (int i = 0; i < episodes.Count; i++)
        {
            if (episodes[i].Id is not { } id)
                continue;
            if (!_byId.TryGetValue(id, out var names))
                _byId[id] = names = [];
            names.Add(Names[i]);
        }
    }

    /// <summary>The group name of each episode, in episode order.</summary>
    public IReadOnlyList<string> Names { get; }

    public static DemoNaming For(IReadOnlyList<EpisodeRange> episodes) => new(episodes);

    /// <summary>The written names of the demos that had episode id <paramref name="id"/> (none when not written).</summary>
    public IReadOnlyList<string> NamesOf(long id) => _byId.TryGetValue(id, out var names) ? names : [];

    /// <summary>
    /// The mask's demo names rewritten to the names written: source name demo_&lt;id&gt; maps through
    /// the episode id. Without episode ids there is no way to know which demo a name meant, so the
    /// mask resolves to nothing (dropped) rather than to a possibly different demo.
    /// </summary>
    public IReadOnlyList<string> Translate(IEnumerable<string> mask)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in mask)
        {
            if (!name.StartsWith("demo_", StringComparison.Ordinal) || !long.TryParse(name["demo_".Length..], out long id))
                continue;
            foreach (string written in NamesOf(id))
            {
                if (seen.Add(written))
                    result.Add(written);
            }
        }

        return result;
    }
}
