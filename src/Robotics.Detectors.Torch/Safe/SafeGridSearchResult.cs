namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// Every configuration's score (in the order trained) and the winner. <see cref="Best"/> is the fitted winner, kept
/// alive for calibration and checkpointing; the caller disposes it. The others are disposed by the search.
/// </summary>
public sealed record SafeGridSearchResult(SafeDetector Best, SafeGridSearchEntry BestEntry, IReadOnlyList<SafeGridSearchEntry> Entries);
