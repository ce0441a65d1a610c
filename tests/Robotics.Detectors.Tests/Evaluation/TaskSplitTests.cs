using Robotics.Detectors.Data;
using Robotics.Detectors.Evaluation;

namespace Robotics.Detectors.Tests.Evaluation;

public sealed class TaskSplitTests
{
    [Fact]
    public void Holds_out_thirty_percent_of_tasks_and_sixty_percent_of_seen_rollouts_for_training()
    {
        var rollouts = Make(tasks: 10, perTask: 20);
        var split = TaskSplit.Create(rollouts, 7);
        Assert.Equal(3, split.UnseenTasks.Length);
        Assert.Equal(7, split.SeenTasks.Length);
        Assert.Empty(split.SeenTasks.Intersect(split.UnseenTasks));
        Assert.All(split.ValUnseen, r => Assert.Contains(r.Task, split.UnseenTasks));
        Assert.Equal(60, split.ValUnseen.Length);
        Assert.All(split.Train.Concat(split.ValSeen), r => Assert.Contains(r.Task, split.SeenTasks));
        Assert.Equal(140, split.Train.Length + split.ValSeen.Length);
        Assert.Equal(84, split.Train.Length);

        // stratified: the failure share of train and val_seen both follow the seen rollouts'
        var seen = split.Train.Concat(split.ValSeen).ToArray();
        var share = seen.Count(r => r.Failed) / (double)seen.Length;
        Assert.Equal(share, split.Train.Count(r => r.Failed) / (double)split.Train.Length, 1.0 / split.Train.Length);
        Assert.Equal(share, split.ValSeen.Count(r => r.Failed) / (double)split.ValSeen.Length, 1.0 / split.ValSeen.Length);

        var all = split.Train.Concat(split.ValSeen).Concat(split.ValUnseen).Select(r => r.Id).Order().ToArray();
        Assert.Equal(rollouts.Select(r => r.Id).Order().ToArray(), all);
    }

    [Fact]
    public void Is_deterministic_ignores_input_order_and_depends_on_the_seed()
    {
        var rollouts = Make(tasks: 8, perTask: 10);
        var a = TaskSplit.Create(rollouts, 1);
        var b = TaskSplit.Create(rollouts.Reverse().ToArray(), 1);
        Assert.Equal(a.UnseenTasks, b.UnseenTasks);
        Assert.Equal(a.Train.Select(r => r.Id), b.Train.Select(r => r.Id));
        Assert.Equal(a.ValSeen.Select(r => r.Id), b.ValSeen.Select(r => r.Id));
        Assert.Equal(a.ValUnseen.Select(r => r.Id), b.ValUnseen.Select(r => r.Id));
        var differs = Enumerable.Range(2, 10).Select(s => TaskSplit.Create(rollouts, s))
            .Any(c => !c.UnseenTasks.SequenceEqual(a.UnseenTasks) || !c.Train.Select(r => r.Id).SequenceEqual(a.Train.Select(r => r.Id)));
        Assert.True(differs);
    }

    [Fact]
    public void Every_task_is_unseen_about_thirty_percent_of_the_time()
    {
        var rollouts = Make(tasks: 10, perTask: 2);
        var counts = new int[10];
        for (var seed = 0; seed < 1000; seed++)
            foreach (var t in TaskSplit.Create(rollouts, seed).UnseenTasks)
                counts[t]++;
        Assert.All(counts, c => Assert.InRange(c, 240, 360));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]   // 1.5 rounds away from zero
    [InlineData(20, 6)]
    public void Small_task_counts_keep_at_least_one_seen_and_one_unseen(int tasks, int unseen)
    {
        var split = TaskSplit.Create(Make(tasks, perTask: 4), 3);
        Assert.Equal(unseen, split.UnseenTasks.Length);
        Assert.Equal(tasks - unseen, split.SeenTasks.Length);
    }

    [Fact]
    public void An_unseen_share_of_zero_keeps_every_task_seen()
    {
        var rollouts = Make(tasks: 3, perTask: 20);
        var split = TaskSplit.Create(rollouts, 7, unseenShare: 0);
        Assert.Empty(split.UnseenTasks);
        Assert.Empty(split.ValUnseen);
        Assert.Equal([0, 1, 2], split.SeenTasks);
        Assert.Equal(36, split.Train.Length);
        Assert.Equal(24, split.ValSeen.Length);
    }

    [Fact]
    public void Rejects_duplicate_ids_and_empty_input()
    {
        var r = Make(2, 2);
        Assert.Equal("rollouts", Assert.Throws<ArgumentException>(() => TaskSplit.Create([r[0], r[0]], 1)).ParamName);
        Assert.Equal("rollouts", Assert.Throws<ArgumentException>(() => TaskSplit.Create([], 1)).ParamName);
    }

    private static FeatureRollout[] Make(int tasks, int perTask) =>
        Enumerable.Range(0, tasks).SelectMany(task => Enumerable.Range(0, perTask).Select(i =>
            DetectionMetricsTests.Rollout($"t{task}-r{i}", task, success: i % 4 != 0, calls: 3))).ToArray();
}
