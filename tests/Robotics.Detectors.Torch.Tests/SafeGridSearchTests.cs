using Robotics.Core.Progress;
using Robotics.Detectors.Torch.Safe;

namespace Robotics.Detectors.Torch.Tests;

[Collection(TorchCollection.Name)]
public sealed class SafeGridSearchTests
{
    private const int Dimension = 16;

    [Fact]
    public void Reports_every_configuration_and_keeps_the_best_on_val_seen()
    {
        var train = SyntheticRollouts.Make(48, Dimension, visible: true, seed: 20, tasks: 3);
        var valSeen = SyntheticRollouts.Make(32, Dimension, visible: true, seed: 21, tasks: 3);
        var updates = new List<ProgressUpdate>();
        var template = new SafeDetectorOptions(SafeDetectorKinds.Mlp, Hidden: 16, Epochs: 4, Batch: 16);

        var result = SafeGridSearch.Run(train, valSeen, SafeDetectorKinds.All, [1e-4, 3e-3], [1e-3], [0, 1], MannWhitney.Auc,
            template, progress: new SynchronousProgress(updates));
        using var best = result.Best;

        Assert.Equal(2 * 2 * 1 * 2, result.Entries.Count);
        Assert.Equal(result.Entries.Count, updates.Count);
        Assert.Equal(result.Entries.Max(e => e.ValRocAuc), result.BestEntry.ValRocAuc);
        Assert.Equal(result.BestEntry.Options, best.Options);
        Assert.All(result.Entries, e => Assert.Equal(16, e.Options.Hidden));
        // The winner's val_seen ROC-AUC is reproduced by scoring with the returned, still-live detector.
        var reduce = SafeGridSearch.MaxUpToShortest(valSeen);
        double again = MannWhitney.Auc(valSeen.Select(r => (reduce(r, best.Scores(r)), r.Failed)).ToArray());
        Assert.Equal(result.BestEntry.ValRocAuc, again, 12);
    }

    [Fact]
    public void Honours_cancellation()
    {
        var train = SyntheticRollouts.Make(16, Dimension, visible: true, seed: 22);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SafeGridSearch.Run(train, train, [SafeDetectorKinds.Mlp], [1e-3], [1e-3], [0],
            MannWhitney.Auc, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Max_up_to_shortest_stops_at_the_tasks_shortest_rollout()
    {
        var rollouts = SyntheticRollouts.Make(4, 2, visible: false, seed: 23, minCalls: 3, maxCalls: 6, tasks: 2);
        var reduce = SafeGridSearch.MaxUpToShortest(rollouts);
        int shortestTask0 = rollouts.Where(r => r.Task == 0).Min(r => r.Calls);
        var longest = rollouts.Where(r => r.Task == 0).MaxBy(r => r.Calls)!;
        var curve = Enumerable.Range(0, longest.Calls).Select(t => (double)t).ToArray();
        Assert.Equal(shortestTask0 - 1, reduce(longest, curve));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order and complete on return.</summary>
    private sealed class SynchronousProgress(List<ProgressUpdate> sink) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => sink.Add(value);
    }
}
