using System.Diagnostics;
using Robotics.Core.Progress;
using Robotics.Detectors.Data;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// SAFE's model selection: train every (kind, learning rate, lambda, seed) on the training rollouts and keep the one with
/// the best ROC-AUC on val_seen. The ROC-AUC function is passed in (the metrics live in another project) and sees one
/// (score, failed) pair per val_seen rollout; the per-rollout score is, by default, <see cref="MaxUpToShortest"/> --
/// the running maximum up to the task's shortest rollout, as ANCHORS section 4 measures, so a rollout that ends early on
/// success cannot win by being short. Ties keep the configuration trained first; every (kind, lr, lambda, seed) is its
/// own candidate (no averaging over seeds).
/// </summary>
public static class SafeGridSearch
{
    public static IReadOnlyList<double> PaperLearningRates { get; } = [1e-4, 3e-4, 1e-3];

    public static IReadOnlyList<double> PaperLambdas { get; } = [1e-3, 1e-2, 1e-1, 1];

    public static IReadOnlyList<long> PaperSeeds { get; } = [0, 1, 2];

    /// <param name="template">Hidden width, epochs and batch for every configuration (Kind, LearningRate, Lambda and Seed are overwritten).</param>
    /// <param name="rolloutScore">Reduces a val_seen rollout's curve to one score; default <see cref="MaxUpToShortest"/>.</param>
    public static SafeGridSearchResult Run(
        IReadOnlyList<FeatureRollout> train,
        IReadOnlyList<FeatureRollout> valSeen,
        IReadOnlyList<string> kinds,
        IReadOnlyList<double> learningRates,
        IReadOnlyList<double> lambdas,
        IReadOnlyList<long> seeds,
        Func<IReadOnlyList<(double score, bool failed)>, double> rocAuc,
        SafeDetectorOptions? template = null,
        Func<IReadOnlyList<FeatureRollout>, Func<FeatureRollout, double[], double>>? rolloutScore = null,
        Device? device = null,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rocAuc);
        if (kinds.Count == 0 || learningRates.Count == 0 || lambdas.Count == 0 || seeds.Count == 0)
            throw new ArgumentException("SafeGridSearch: kinds, learning rates, lambdas and seeds each need at least one value.");
        if (!valSeen.Any(r => r.Failed && r.Calls > 0) || !valSeen.Any(r => r.Success && r.Calls > 0))
            throw new ArgumentException("SafeGridSearch: val_seen needs rollouts of both classes to rank configurations by ROC-AUC.");
        var reduce = (rolloutScore ?? MaxUpToShortest)(valSeen);
        var baseOptions = template ?? new SafeDetectorOptions(SafeDetectorKinds.Mlp);

        var configurations = (from kind in kinds from lr in learningRates from lambda in lambdas from seed in seeds
            select baseOptions with { Kind = kind, LearningRate = lr, Lambda = lambda, Seed = seed }).ToArray();
        foreach (var c in configurations)
            c.EnsureValid();

        var entries = new List<SafeGridSearchEntry>(configurations.Length);
        SafeDetector? best = null;
        SafeGridSearchEntry? bestEntry = null;
        try
        {
            for (int i = 0; i < configurations.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var options = configurations[i];
                var clock = Stopwatch.StartNew();
                var detector = SafeDetector.Create(options, device);
                try
                {
                    detector.Fit(train, null, cancellationToken);
                    var pairs = valSeen.Where(r => r.Calls > 0).Select(r => (reduce(r, detector.Scores(r)), r.Failed)).ToArray();
                    double auc = rocAuc(pairs);
                    var entry = new SafeGridSearchEntry(options, auc, detector.EpochLosses[^1], clock.Elapsed);
                    entries.Add(entry);
                    progress?.Report(new ProgressUpdate("safe grid search", i + 1, configurations.Length,
                        $"{options.Kind} lr={options.LearningRate:G3} lambda={options.Lambda:G3} seed={options.Seed}: val_seen ROC-AUC {auc:F3}"));
                    // A NaN ROC-AUC (e.g. a constant score) never wins over a number.
                    if (bestEntry is null || auc > bestEntry.ValRocAuc || (double.IsNaN(bestEntry.ValRocAuc) && !double.IsNaN(auc)))
                    {
                        best?.Dispose();
                        (best, bestEntry) = (detector, entry);
                        detector = null;
                    }
                }
                finally
                {
                    detector?.Dispose();
                }
            }
        }
        catch
        {
            best?.Dispose();
            throw;
        }

        return new SafeGridSearchResult(best!, bestEntry!, entries);
    }

    /// <summary>
    /// The ANCHORS section 4 reduction: the maximum of the curve over calls 0..L-1, where L is the shortest rollout (in
    /// calls) of the same task within <paramref name="rollouts"/>.
    /// </summary>
    public static Func<FeatureRollout, double[], double> MaxUpToShortest(IReadOnlyList<FeatureRollout> rollouts)
    {
        var shortest = rollouts.Where(r => r.Calls > 0).GroupBy(r => r.Task).ToDictionary(g => g.Key, g => g.Min(r => r.Calls));
        return (rollout, curve) =>
        {
            int limit = Math.Min(curve.Length, shortest.TryGetValue(rollout.Task, out int l) ? l : curve.Length);
            return limit == 0 ? 0 : curve.AsSpan(0, limit).ToArray().Max();
        };
    }
}
