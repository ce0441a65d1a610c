namespace Robotics.Datasets.Trajectories;

/// <summary>
/// One episode inside a flat store: rows [Start, Start + Length). <see cref="Terminated"/> when the
/// environment ended it, <see cref="TimedOut"/> when the time limit did, neither for a trailing
/// unfinished episode. <see cref="Id"/> is the value of infos/episode_index on its rows when the
/// store has that column (a demo number, a Minari episode id), so writers can keep the source's
/// names; <see cref="Index"/> is always the ordinal 0..E-1.
/// </summary>
public sealed record EpisodeRange(int Index, long Start, int Length, bool Terminated, bool TimedOut, long? Id = null)
{
    public long End => Start + Length;

    public bool Finished => Terminated || TimedOut;
}
