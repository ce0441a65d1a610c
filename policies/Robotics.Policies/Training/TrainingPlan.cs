using Robotics.Core.Tasks;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Training;

/// <summary>
/// Turns a preset and loaded corpora into what the trainer needs: the policy config with shapes and the merged
/// task list (tasks matched across files by instruction text), normalisation statistics of the training
/// episodes, and train / validation window sources (the last 5% of each corpus's episodes validate). Action-free
/// corpora (no actions column) join with their states only: the action space comes from the corpora with actions,
/// and at least one must have them.
/// </summary>
public sealed record TrainingPlan(PolicyConfig Config, NormalizationStats Stats, EpisodeWindowSource Train, EpisodeWindowSource? Validation, int TrainEpisodes, int ValidationEpisodes)
{
    public static TrainingPlan Build(PolicyPreset preset, IReadOnlyList<(LoadedCorpus Corpus, double Weight)> corpora, long seed)
    {
        var first = corpora.Select(c => c.Corpus).FirstOrDefault(c => c.HasActions)
            ?? throw new InvalidDataException($"none of {string.Join(", ", corpora.Select(c => c.Corpus.Path))} has actions: action-free corpora train the world-model side next to a corpus with actions.");
        foreach (var (c, _) in corpora)
        {
            if (c.StateDim != first.StateDim || (c.HasActions && c.ActionDim != first.ActionDim))
                throw new InvalidDataException($"{c.Path} has state {c.StateDim} / action {(c.HasActions ? c.ActionDim.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}, but {first.Path} has {first.StateDim} / {first.ActionDim}; corpora trained together must agree.");
        }

        var instructions = new List<string>();
        var remapped = new List<(string Name, Episode[] Episodes, double Weight)>();
        foreach (var (c, weight) in corpora)
        {
            var local = c.TaskInstructions.Count > 0 ? c.TaskInstructions : [Path.GetFileNameWithoutExtension(c.Path)];
            var map = local.Select(text =>
            {
                int i = instructions.IndexOf(text);
                if (i < 0) { instructions.Add(text); i = instructions.Count - 1; }
                return i;
            }).ToArray();
            remapped.Add((c.Path, c.Episodes.Select(e => e with { TaskIndex = map[e.TaskIndex], Instruction = local[e.TaskIndex] }).ToArray(), weight));
        }

        var config = preset.Policy.Clone();
        config.Environment = preset.Environment;
        config.GoalKey = preset.GoalKey;
        config.StateDim = first.StateDim;
        config.ActionDim = first.ActionDim;
        config.Tasks = instructions.Select((text, i) => new TaskSpec(i, $"task{i}", text)).ToList();
        config.EnsureValid();

        var train = new List<EpisodeCorpus>();
        var validation = new List<EpisodeCorpus>();
        foreach (var (name, episodes, weight) in remapped)
        {
            int held = episodes.Length >= 20 ? episodes.Length / 20 : 0;
            train.Add(new EpisodeCorpus(name, episodes[..^held], weight));
            if (held > 0)
                validation.Add(new EpisodeCorpus(name, episodes[^held..], weight));
        }

        var trainEpisodes = train.SelectMany(c => c.Episodes).ToArray();
        var stats = new NormalizationStats(
            FeatureStats.Compute(trainEpisodes.Select(e => e.States.SelectMany(s => s).ToArray()), config.StateDim),
            FeatureStats.Compute(trainEpisodes.Where(e => e.Actions is not null).Select(e => e.Actions!.SelectMany(a => a).ToArray()), config.ActionDim));
        return new TrainingPlan(config, stats,
            new EpisodeWindowSource(train, config, seed, preset.Training.MaskPadding),
            validation.Count > 0 ? new EpisodeWindowSource(validation, config, seed + 1, preset.Training.MaskPadding) : null,
            trainEpisodes.Length, validation.Sum(v => v.Episodes.Count));
    }
}
