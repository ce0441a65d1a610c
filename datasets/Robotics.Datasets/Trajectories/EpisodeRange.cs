namespace Robotics.Datasets.Trajectories;

/// <summary>
/// One episode inside a flat store: rows [Start, Start + Length). <see cref="Terminated"/> when the
/// environment ended it, <see cref="TimedOut"/> when the time limit did, neither for a trailing
/// unfinished episode.
/// </summary>
public sealed record EpisodeRange(int Index, long Start, int Length, bool Terminated, bool TimedOut)
{
    public long End => Start + Length;

    public bool Finished => Terminated || TimedOut;
}
