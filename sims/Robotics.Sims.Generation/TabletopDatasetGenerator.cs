using Robotics.Core.Arrays;
using Robotics.Core.Progress;
using Robotics.Core.Shapes;
using Robotics.Datasets.Recording;
using Robotics.Datasets.Trajectories;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;
using Robotics.Sims.Failures;
using Robotics.Sims.Rollouts;
using Robotics.Sims.Tabletop;

namespace Robotics.Sims.Generation;

/// <summary>
/// Rolls the pushing expert out with the parallel runner and records every episode through the
/// Datasets library's <see cref="EpisodeRecorder"/>: per-row task index and success label
/// (infos/task_index, infos/success), terminals on success, timeouts on the time limit, plus
/// per-episode metadata (seed, task, success, injected fault) so failures can be studied by kind.
/// In the multimodal style each row also carries the episode's strategy (infos/demo_mode 0..3 =
/// side + 2·via, demo_side, demo_via, demo_contact, demo_speed) and whether the demonstrator pauses
/// (infos/demo_pausing).
/// </summary>
public static class TabletopDatasetGenerator
{
    public static async Task<FlatDataset> GenerateAsync(TabletopGenerationOptions options, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        using var probe = new TabletopPushEnvironment();
        var taskCount = probe.Spec.Tasks.Count;
        var tasks = options.Tasks ?? Enumerable.Range(0, taskCount).ToArray();
        var invalid = tasks.Where(t => t < 0 || t >= taskCount).ToArray();
        if (tasks.Count == 0 || invalid.Length > 0)
            throw new ArgumentException($"Task ids must lie in 0..{taskCount - 1}; got {(tasks.Count == 0 ? "none" : string.Join(", ", invalid))}.", nameof(options));

        var request = new RolloutRequest(TabletopPushEnvironment.Id, options.Episodes, options.Seed, tasks, options.Noise,
            options.FailureRate, options.FailureKinds, options.Workers, Style: options.Style);
        var episodes = await RolloutRunner.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);

        var recorder = new EpisodeRecorder();
        foreach (var episode in episodes)
            Record(recorder, episode);

        bool multimodal = options.Style == DemoStyle.Multimodal;
        recorder.SetMetadata("algorithm", multimodal
            ? "multimodal pushing expert (per-episode strategy: side passed, via-point, contact offset, speed, pause), robotics sims"
            : "scripted pushing expert (approach behind, push, re-approach), robotics sims");
        recorder.SetMetadata("demo_style", multimodal ? "multimodal" : "scripted");
        if (multimodal)
            recorder.SetMetadata("episode_demo_mode", Int64s(episodes.Select(e => (long)e.StepInfos["demo_mode"][0])));
        recorder.SetMetadata("env", TabletopPushEnvironment.Id);
        recorder.SetMetadata("observation_layout", MetadataValue.FromStrings(probe.Spec.Observation.Names));
        recorder.SetMetadata("action_layout", MetadataValue.FromStrings(probe.Spec.Action.Names));
        recorder.SetMetadata("failure_kinds", MetadataValue.FromStrings(new TabletopFailureInjector().Kinds));
        recorder.SetMetadata("episode_failure", MetadataValue.FromStrings(episodes.Select(e => e.FailureKind)));
        recorder.SetMetadata("episode_failure_step", Int64s(episodes.Select(e => (long)(e.Failure?.StartStep ?? -1))));
        recorder.SetMetadata("episode_seed", Int64s(episodes.Select(e => e.Seed)));
        recorder.SetMetadata("episode_task", Int64s(episodes.Select(e => (long)e.TaskIndex)));
        recorder.SetMetadata("episode_success", MetadataValue.FromArray(new NdArray(DType.Bool, [episodes.Count], episodes.Select(e => e.Success ? (byte)1 : (byte)0).ToArray())));
        recorder.SetMetadata("action_noise_std", MetadataValue.FromArray(NdArray.FromFloats([(float)options.Noise], 1)));
        recorder.SetMetadata("failure_rate", MetadataValue.FromArray(NdArray.FromFloats([(float)options.FailureRate], 1)));
        recorder.SetMetadata("seed", Int64s([options.Seed]));
        return recorder.Build();
    }

    private static void Record(EpisodeRecorder recorder, EpisodeRecord episode)
    {
        recorder.BeginEpisode(episode.TaskIndex, episode.Instruction);
        int rows = episode.Rewards.Length;
        for (int t = 0; t < rows; t++)
        {
            var infos = episode.StepInfos.Count == 0 ? null : episode.StepInfos.ToDictionary(p => p.Key, p => new[] { p.Value[t] }, StringComparer.Ordinal);
            recorder.AddStep(episode.Observations[t], episode.Actions[t], episode.Rewards[t], episode.Terminated && t == rows - 1, infos);
        }

        recorder.EndEpisode(episode.Success);
    }

    private static MetadataValue Int64s(IEnumerable<long> values)
    {
        var array = values.ToArray();
        var bytes = new byte[array.Length * sizeof(long)];
        Buffer.BlockCopy(array, 0, bytes, 0, bytes.Length);
        return MetadataValue.FromArray(new NdArray(DType.Int64, [array.Length], bytes));
    }
}
