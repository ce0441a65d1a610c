using Robotics.Core.Tasks;
using Robotics.Datasets.Recording;
using Robotics.Datasets.Statistics;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;
using Robotics.Policies.MlpBc;
using Robotics.Policies.Mode;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Tests;

/// <summary>
/// A 2-D point task family small enough to learn in seconds: the state is a position, and the expert's
/// action is a velocity that depends on the task (0: go to the origin, 1: circle counter-clockwise,
/// 2: go to (1, 1)). Dynamics: s' = s + 0.1·a, so the world-model target is predictable too.
/// </summary>
internal static class ToyTasks
{
    public static readonly TaskSpec[] Tasks =
    [
        new(0, "home", "move to the origin"),
        new(1, "circle", "circle around the origin"),
        new(2, "corner", "move to the upper right corner"),
    ];

    public static float[] Expert(int task, float[] s) => task switch
    {
        0 => [-s[0], -s[1]],
        1 => [-s[1], s[0]],
        _ => [1 - s[0], 1 - s[1]],
    };

    public static PolicyConfig Config(string type = "mode", int experts = 4, int topK = 2, bool worldModel = false, int width = 32, int layers = 2) => new PolicyConfig
    {
        Type = type,
        StateDim = 2,
        ActionDim = 2,
        Tasks = Tasks.ToList(),
        Horizon = 4,
        ExecutedSteps = 2,
        ObservationHistory = 2,
        Width = width,
        TextBuckets = 256,
    }.With(new ModeOptions { Layers = layers, Heads = 2, Experts = experts, TopK = topK, WorldModel = worldModel, Causal = !worldModel, SamplingSteps = 5 })
     .With(new MlpBcOptions { Hidden = 64, Layers = 2 });

    public static IReadOnlyList<ToyEpisode> Episodes(int count, int length, int seed, bool withActions = true)
    {
        var rng = new Random(seed);
        var episodes = new List<ToyEpisode>();
        for (int e = 0; e < count; e++)
        {
            int task = e % Tasks.Length;
            var s = new[] { (float)(rng.NextDouble() * 2 - 1), (float)(rng.NextDouble() * 2 - 1) };
            var states = new List<float[]>();
            var actions = new List<float[]>();
            for (int t = 0; t < length; t++)
            {
                var a = Expert(task, s);
                states.Add(s);
                actions.Add(a);
                s = [s[0] + 0.1f * a[0], s[1] + 0.1f * a[1]];
            }

            episodes.Add(new ToyEpisode(states.ToArray(), withActions ? actions.ToArray() : null, task, Tasks[task].Instruction));
        }

        return episodes;
    }

    /// <summary>The episodes as a dataset (D4RL layout, as the recorder writes it); without actions when none has them.</summary>
    public static FlatDataset Corpus(IReadOnlyList<ToyEpisode> episodes)
    {
        var recorder = new EpisodeRecorder();
        foreach (var e in episodes)
        {
            var actions = e.Actions ?? e.States.Select(s => new float[2]).ToArray();
            recorder.AddEpisode(e.States, actions, new float[e.Length], terminated: false, success: true, e.TaskIndex, e.Instruction);
        }

        var dataset = recorder.Build();
        return episodes.All(e => e.Actions is null)
            ? new FlatDataset(dataset.Columns.Where(c => c.Key != D4rlKeys.Actions), dataset.Metadata)
            : dataset;
    }

    /// <summary>Training batches over <paramref name="episodes"/> through the datasets library's sampler.</summary>
    public static SampledBatchSource Source(IReadOnlyList<ToyEpisode> episodes, PolicyConfig config, long seed, bool maskPadding = false) =>
        SampledBatchSource.InMemory(Corpus(episodes), config, seed, maskPadding);

    public static NormalizationStats Stats(IReadOnlyList<ToyEpisode> episodes)
    {
        var stats = DatasetStatistics.Compute(new FlatDatasetSource(Corpus(episodes.Where(e => e.Actions is not null).DefaultIfEmpty(episodes[0]).ToArray())),
            [D4rlKeys.Observations, D4rlKeys.Actions]);
        return new NormalizationStats(stats[D4rlKeys.Observations], stats[D4rlKeys.Actions]);
    }
}

/// <summary>One toy episode in environment units (actions null: action-free, as play data).</summary>
internal sealed record ToyEpisode(float[][] States, float[][]? Actions, int TaskIndex, string? Instruction)
{
    public int Length => States.Length;
}
