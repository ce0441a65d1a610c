using Robotics.Detectors.Data;
using Robotics.Statistics;
using Robotics.Core.Randomness;

namespace Robotics.Detectors.Evaluation;

/// <summary>
/// SAFE's multitask protocol split: whole tasks are held out (val_unseen) so the reported numbers measure detection
/// on tasks the detector never saw; the seen tasks' rollouts are split into train (fits the detector) and val_seen
/// (model selection and conformal calibration).
/// </summary>
/// <remarks>
/// Deterministic given the seed and the SET of rollouts: task ids are sorted, and rollouts ordered by task then
/// ordinal id, before any shuffle, so input order does not matter. One <see cref="SplitMix64"/> stream drives
/// everything: first the task shuffle, then one shuffle per outcome group (failures, then successes).
/// Unseen tasks: round(0.3 T) of T tasks, at least 1 and at most T - 1 when T &gt;= 2 (a single task is all seen);
/// an unseen share of 0 keeps every task seen (a detector deployed on its training tasks; no val_unseen).
/// Seen rollouts: within failures and within successes separately, round(0.6 n) go to train and the rest to
/// val_seen, so both parts keep the outcome balance (stratified by success).
/// </remarks>
public sealed record TaskSplit(
    int[] SeenTasks,
    int[] UnseenTasks,
    FeatureRollout[] Train,
    FeatureRollout[] ValSeen,
    FeatureRollout[] ValUnseen)
{
    public const double DefaultUnseenShare = 0.3;
    public const double DefaultTrainShare = 0.6;

    public static TaskSplit Create(
        IReadOnlyList<FeatureRollout> rollouts,
        long seed,
        double unseenShare = DefaultUnseenShare,
        double trainShare = DefaultTrainShare)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        if (rollouts.Count == 0)
            throw new ArgumentException("no rollouts to split", nameof(rollouts));
        if (!(unseenShare >= 0 && unseenShare < 1))
            throw new ArgumentOutOfRangeException(nameof(unseenShare), unseenShare, "must lie in [0, 1)");
        if (!(trainShare > 0 && trainShare <= 1))
            throw new ArgumentOutOfRangeException(nameof(trainShare), trainShare, "must lie in (0, 1]");
        var duplicate = rollouts.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"rollout id {duplicate.Key} appears {duplicate.Count()} times", nameof(rollouts));

        var random = new SplitMix64(seed);
        var tasks = rollouts.Select(r => r.Task).Distinct().Order().ToArray();
        random.Shuffle(tasks);
        var unseenCount = tasks.Length < 2 || unseenShare == 0
            ? 0
            : Math.Clamp((int)Math.Round(unseenShare * tasks.Length, MidpointRounding.AwayFromZero), 1, tasks.Length - 1);
        var unseen = tasks.Take(unseenCount).Order().ToArray();
        var seen = tasks.Skip(unseenCount).Order().ToArray();
        var unseenSet = unseen.ToHashSet();

        var ordered = rollouts.OrderBy(r => r.Task).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();
        var train = new List<FeatureRollout>();
        var valSeen = new List<FeatureRollout>();
        foreach (var outcome in new[] { false, true })
        {
            var group = ordered.Where(r => !unseenSet.Contains(r.Task) && r.Success == outcome).ToArray();
            random.Shuffle(group);
            var trainCount = (int)Math.Round(trainShare * group.Length, MidpointRounding.AwayFromZero);
            train.AddRange(group.Take(trainCount));
            valSeen.AddRange(group.Skip(trainCount));
        }

        static FeatureRollout[] Sorted(IEnumerable<FeatureRollout> part) =>
            part.OrderBy(r => r.Task).ThenBy(r => r.Id, StringComparer.Ordinal).ToArray();

        return new TaskSplit(
            seen,
            unseen,
            Sorted(train),
            Sorted(valSeen),
            ordered.Where(r => unseenSet.Contains(r.Task)).ToArray());
    }
}
