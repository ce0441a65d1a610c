using System.Diagnostics;
using Robotics.Core.Progress;
using Robotics.Datasets.Registry;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Policies;
using Robotics.Evaluation.Rollouts;
using Robotics.Evaluation.Store;
using Robotics.Sims.Environments;
using Robotics.Sims.Failures;

namespace Robotics.Evaluation.Sweeps;

/// <summary>
/// Runs a plan's episodes (or one shard of them) on worker threads into a <see cref="ResultStore"/>. Each worker
/// owns its environments and policies (one per policy x environment it meets); every episode is a pure function of
/// (plan, cell, episode index), so the stored results do not depend on the worker count, the shard split or the
/// order, and a resumed run only runs what is missing. Cancellation stops at episode boundaries and leaves a
/// resumable folder.
/// </summary>
public static class SweepRunner
{
    public static async Task<SweepRunSummary> RunAsync(SweepPlan plan, string directory, SweepRunOptions options,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var shard = options.Shard ?? ShardSpec.Whole;
        using var store = ResultStore.Open(directory, plan, shard, options.Resume);
        var finished = store.Existing.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var shardItems = plan.Items().Where((_, position) => shard.Contains(position)).ToArray();
        var todo = shardItems.Where(i => !finished.Contains(i.Key)).ToArray();
        int workers = Math.Max(1, Math.Min(todo.Length, options.Workers > 0 ? options.Workers : Environment.ProcessorCount));
        int next = -1, done = 0, successes = store.Existing.Count(r => r.Result.Success);
        int skipped = shardItems.Length - todo.Length;
        var clock = Stopwatch.StartNew();
        // One worker's fault stops the others at their next episode instead of letting them run the whole plan.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress?.Report(new ProgressUpdate($"sweep {plan.Name}", skipped, shardItems.Length));

        void Work()
        {
            var cache = new Dictionary<(string Policy, string Environment), Worker>();
            try
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < todo.Length)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    var item = todo[index];
                    if (!cache.TryGetValue((item.Cell.Policy, item.Cell.Environment), out var worker))
                        cache[(item.Cell.Policy, item.Cell.Environment)] = worker = Worker.Create(plan, item.Cell);
                    var result = worker.Run(plan, item, stop.Token);
                    store.Append(new SweepRecord(item.Cell.Policy, item.Cell.Environment, item.Cell.Task, item.Cell.Condition, item.Episode, result));
                    int count = Interlocked.Increment(ref done);
                    int won = result.Success ? Interlocked.Increment(ref successes) : Volatile.Read(ref successes);
                    progress?.Report(new ProgressUpdate($"sweep {plan.Name}", skipped + count, shardItems.Length,
                        $"success {won}/{skipped + count}"));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                stop.Cancel();
                throw;
            }
            finally
            {
                foreach (var worker in cache.Values)
                    worker.Dispose();
            }
        }

        var threads = Enumerable.Range(0, workers)
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            await Task.WhenAll(threads).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (threads.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException) is { } faulted)
        {
            // Report the fault that stopped the sweep, not the cancellations it caused.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(faulted.Exception!.InnerException!);
        }
        store.MarkDone();
        return new SweepRunSummary(shardItems.Length, skipped, done, successes, clock.Elapsed);
    }

    /// <summary>One policy in one environment on one thread.</summary>
    private sealed class Worker(IEnvironment environment, EvaluationPolicy policy, ClosedLoopEvaluator evaluator) : IDisposable
    {
        public static Worker Create(SweepPlan plan, SweepCell cell)
        {
            var registration = EnvironmentRegistry.Get(cell.Environment);
            var environment = registration.Create();
            try
            {
                var policy = PolicyFactory.Create(plan.Policy(cell.Policy), registration, environment, plan.Device);
                IFailureInjector? injector = registration.CreateFailureInjector?.Invoke();
                return new Worker(environment, policy, new ClosedLoopEvaluator(policy, environment, injector, Normalizer(cell.Environment)));
            }
            catch
            {
                environment.Dispose();
                throw;
            }
        }

        public EpisodeResult Run(SweepPlan plan, SweepItem item, CancellationToken cancellationToken)
        {
            // A single-task environment poses its task itself.
            int? task = environment.Spec.Tasks.Count > 1 ? item.Cell.Task : null;
            return evaluator.Run(new EpisodeSpec(task, item.Seed(plan.Seed), plan.Condition(item.Cell.Condition)), plan.RecordFeatures, plan.SamplesPerCall, cancellationToken);
        }

        public void Dispose()
        {
            policy.Dispose();
            environment.Dispose();
        }
    }

    /// <summary>D4RL's normalisation where the dataset registry knows the environment's reference scores.</summary>
    public static Func<double, double>? Normalizer(string environmentId) =>
        DatasetRegistry.Default.TryFind(environmentId + "-v1", out var named) || DatasetRegistry.Default.TryFind(environmentId, out named)
            ? named.NormalizedScore
            : null;
}
