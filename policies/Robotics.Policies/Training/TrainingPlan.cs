using System.Globalization;
using Robotics.Core.Tasks;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Training;

/// <summary>
/// Turns a preset and opened corpora into what the trainer needs: the policy config with shapes and the merged
/// task list (tasks matched across corpora by instruction text), normalisation statistics (from
/// <see cref="DatasetStatistics"/> over every corpus, or the statistics stored beside it), and train / validation
/// batch sources through the datasets library's sampler (the last 5% of each corpus's usable episodes validate).
/// Action-free corpora (no actions column) join with their states only: the action space comes from the corpora with
/// actions, and at least one must have them. The plan owns the corpora's sources.
/// </summary>
public sealed class TrainingPlan : IDisposable
{
    private readonly IReadOnlyList<ITrajectorySource> sources;

    private TrainingPlan(PolicyConfig config, NormalizationStats stats, SampledBatchSource train, SampledBatchSource? validation,
        int trainEpisodes, int validationEpisodes, IReadOnlyList<string> actionFree, IReadOnlyList<ITrajectorySource> sources)
    {
        Config = config;
        Stats = stats;
        Train = train;
        Validation = validation;
        TrainEpisodes = trainEpisodes;
        ValidationEpisodes = validationEpisodes;
        ActionFree = actionFree;
        this.sources = sources;
    }

    public PolicyConfig Config { get; }

    public NormalizationStats Stats { get; }

    public SampledBatchSource Train { get; }

    public SampledBatchSource? Validation { get; }

    public int TrainEpisodes { get; }

    public int ValidationEpisodes { get; }

    /// <summary>The corpora without actions (they train the world-model side only).</summary>
    public IReadOnlyList<string> ActionFree { get; }

    /// <param name="includeFailures">Also imitate episodes labelled unsuccessful (infos/success).</param>
    public static TrainingPlan Build(PolicyPreset preset, IReadOnlyList<TrainingCorpus> corpora, TrainingOptions training, bool includeFailures = false,
        IProgress<Core.Progress.ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        if (corpora.Count == 0)
            throw new ArgumentException("No corpus to train on.", nameof(corpora));
        var shared = corpora.Select(c => c with { Source = new SynchronizedSource(c.Source) }).ToArray();
        try
        {
            return Build(preset, shared, training, includeFailures, progress, cancellationToken);
        }
        catch
        {
            foreach (var c in shared)
                c.Source.Dispose();
            throw;
        }
    }

    private static TrainingPlan Build(PolicyPreset preset, TrainingCorpus[] corpora, TrainingOptions training, bool includeFailures,
        IProgress<Core.Progress.ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var config = preset.Policy.Clone();
        config.Environment = preset.Environment;
        config.GoalKey = preset.GoalKey;
        var stateKeys = TrainingWindows.StateKeys(config);
        foreach (var c in corpora)
        {
            foreach (var key in stateKeys.Concat(config.Cameras.Select(Core.Shapes.FeatureKeys.Image)))
            {
                if (!c.Source.HasColumn(key))
                    throw new InvalidDataException($"{c.Path}: no column '{key}' (has: {string.Join(", ", c.Source.Columns.Select(x => x.Key))}).");
            }
        }

        var labelled = corpora.FirstOrDefault(c => c.Source.HasColumn(D4rlKeys.Actions))
            ?? throw new InvalidDataException($"none of {string.Join(", ", corpora.Select(c => c.Path))} has actions: action-free corpora train the world-model side next to a corpus with actions.");
        int StateDim(TrainingCorpus c) => stateKeys.Sum(k => c.Source.Column(k).RowElements);
        int actionDim = labelled.Source.Column(D4rlKeys.Actions).RowElements;
        foreach (var c in corpora)
        {
            bool hasActions = c.Source.HasColumn(D4rlKeys.Actions);
            if (StateDim(c) != StateDim(labelled) || (hasActions && c.Source.Column(D4rlKeys.Actions).RowElements != actionDim))
                throw new InvalidDataException($"{c.Path} has state {StateDim(c)} / action {(hasActions ? c.Source.Column(D4rlKeys.Actions).RowElements.ToString(CultureInfo.InvariantCulture) : "none")}, but {labelled.Path} has {StateDim(labelled)} / {actionDim}; corpora trained together must agree.");
        }

        var instructions = new List<string>();
        var taskMaps = new List<CorpusTasks>();
        foreach (var c in corpora)
        {
            var declared = c.Source.Metadata(D4rlKeys.TaskInstructions) is { } value
                ? value.Strings ?? throw new InvalidDataException($"{c.Path}: {D4rlKeys.TaskInstructions} is not a list of strings.")
                : null;
            IReadOnlyList<string> local = declared is { Count: > 0 } ? declared : [Path.GetFileNameWithoutExtension(c.Path.TrimEnd('/', '\\'))];
            var map = local.Select(text =>
            {
                int i = instructions.IndexOf(text);
                if (i < 0) { instructions.Add(text); i = instructions.Count - 1; }
                return (long)i;
            }).ToArray();
            taskMaps.Add(new CorpusTasks(c.Path, map, local.Select(t => (string?)t).ToArray()));
        }

        config.StateDim = StateDim(labelled);
        config.ActionDim = actionDim;
        config.Tasks = instructions.Select((text, i) => new TaskSpec(i, $"task{i}", text)).ToList();
        config.EnsureValid();

        var stats = Statistics(corpora, stateKeys, progress, cancellationToken);
        var windows = TrainingWindows.Options(config, training, training.Seed, includeFailures);
        var trainSpecs = new List<CorpusSpec>();
        var validationSpecs = new List<CorpusSpec>();
        var validationTasks = new List<CorpusTasks>();
        for (int i = 0; i < corpora.Length; i++)
        {
            var usable = UsableEpisodes.Find(corpora[i].Source, windows);
            if (usable.Count == 0)
                throw new InvalidDataException($"{corpora[i].Path}: no usable episodes (need at least 2 rows each{(includeFailures ? "" : ", successful")}).");
            int held = usable.Count >= 20 ? usable.Count / 20 : 0;
            trainSpecs.Add(new CorpusSpec(corpora[i].Path, corpora[i].Source, corpora[i].Weight, Episodes: usable.Take(usable.Count - held).ToArray()));
            if (held > 0)
            {
                validationSpecs.Add(new CorpusSpec(corpora[i].Path, corpora[i].Source, corpora[i].Weight, Episodes: usable.Skip(usable.Count - held).ToArray()));
                validationTasks.Add(taskMaps[i]);
            }
        }

        var train = new SampledBatchSource(new WindowSampler(trainSpecs, windows, leaveOpen: true), config, taskMaps, training.MaskPadding);
        SampledBatchSource? validation = validationSpecs.Count == 0 ? null
            : new SampledBatchSource(new WindowSampler(validationSpecs, windows with { Seed = unchecked((ulong)(training.Seed + 1)) }, leaveOpen: true), config, validationTasks, training.MaskPadding);
        return new TrainingPlan(config, stats, train, validation, trainSpecs.Sum(s => s.Episodes!.Count), validationSpecs.Sum(s => s.Episodes!.Count),
            corpora.Where(c => !c.Source.HasColumn(D4rlKeys.Actions)).Select(c => c.Path).ToArray(), corpora.Select(c => c.Source).ToArray());
    }

    /// <summary>
    /// State (the state columns side by side) and action statistics over every row of the corpora that have them,
    /// pooled across corpora; each corpus's come from PATH.stats.json when it is there and counts this corpus's rows.
    /// </summary>
    private static NormalizationStats Statistics(TrainingCorpus[] corpora, IReadOnlyList<string> stateKeys,
        IProgress<Core.Progress.ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var perCorpus = corpora.Select(c =>
        {
            var keys = stateKeys.Concat(c.Source.HasColumn(D4rlKeys.Actions) ? [D4rlKeys.Actions] : Array.Empty<string>()).ToArray();
            var stored = File.Exists(c.StatsPath) ? StatsJson.Read(c.StatsPath) : null;
            if (stored is not null && keys.All(stored.ContainsKey))
            {
                foreach (var key in keys)
                {
                    if (stored[key].Count != c.Source.RowCount)
                        throw new InvalidDataException($"{c.StatsPath}: '{key}' counts {stored[key].Count} rows but {c.Path} has {c.Source.RowCount}; the statistics are stale (recompute: robotics dataset stats {c.Path} --out {c.StatsPath}).");
                }

                return keys.ToDictionary(k => k, k => stored[k]);
            }

            var computed = DatasetStatistics.Compute(c.Source, keys, reservoirRows: 1024, progress: progress, cancellationToken: cancellationToken);
            return keys.ToDictionary(k => k, k => computed[k]);
        }).ToArray();

        FeatureStatistics Pooled(string key) =>
            FeatureStatistics.Merge(perCorpus.Where(p => p.ContainsKey(key)).Select(p => p[key]).ToArray());
        var state = FeatureStatistics.Concat(Core.Shapes.FeatureKeys.State, stateKeys.Select(Pooled).ToArray());
        var action = Pooled(D4rlKeys.Actions) with { Key = Core.Shapes.FeatureKeys.Action };
        foreach (var s in new[] { state, action })
        {
            if (s.Mean.Concat(s.Std).Concat(s.Min).Concat(s.Max).Any(v => !double.IsFinite(v)))
                throw new InvalidDataException($"'{s.Key}' statistics are not finite over {string.Join(", ", corpora.Select(c => c.Path))}: a NaN or Inf in the data (robotics dataset validate names the row).");
        }

        return new NormalizationStats(state, action);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        foreach (var source in sources)
            source.Dispose();
    }
}
