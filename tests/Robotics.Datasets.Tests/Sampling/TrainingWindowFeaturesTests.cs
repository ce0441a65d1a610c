using Robotics.Core.Arrays;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Sampling;

/// <summary>
/// What policy training needs from the sampler: goal segments, success filtering, explicit episode parts,
/// action-free corpora in a mixture and the world model's future target.
/// </summary>
public sealed class TrainingWindowFeaturesTests
{
    // ThreeEpisodes: observation[0] = row index; episodes [0,4) success, [4,7) and [7,12) not; actions = row / 2.
    private static FlatDataset WithGoal()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        // Goal changes at rows 2 (inside episode 0), 4 (an episode boundary anyway) and 9 (inside episode 2).
        float[] goal = [1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4];
        return ds.WithColumn("infos/goal", NdArray.FromFloats(goal, 12, 1));
    }

    [Fact]
    public void Episodes_are_cut_where_the_goal_changes_and_the_pieces_cover_them_exactly()
    {
        var usable = UsableEpisodes.Find(new FlatDatasetSource(WithGoal()), new WindowSamplerOptions { SegmentKey = "infos/goal" });
        Assert.Equal([(0L, 2), (2L, 2), (4L, 3), (7L, 2), (9L, 3)], usable.Select(e => (e.Start, e.Length)));
        Assert.Equal([0, 1, 2, 3, 4], usable.Select(e => e.Index));
        // A cut is not an ending: only the last piece keeps the episode's terminal / timeout.
        Assert.Equal([false, true, true, false, true], usable.Select(e => e.Finished));
        var whole = UsableEpisodes.Find(new FlatDatasetSource(WithGoal()), new WindowSamplerOptions());
        Assert.Equal([4, 3, 5], whole.Select(e => e.Length));
    }

    [Fact]
    public void Unsuccessful_and_short_episodes_are_left_out_when_asked()
    {
        var source = new FlatDatasetSource(WithGoal());
        var successful = UsableEpisodes.Find(source, new WindowSamplerOptions { SuccessKey = "infos/success" });
        Assert.Equal([(0L, 4)], successful.Select(e => (e.Start, e.Length)));
        var longEnough = UsableEpisodes.Find(source, new WindowSamplerOptions { SegmentKey = "infos/goal", MinEpisodeLength = 3 });
        Assert.Equal([4L, 9L], longEnough.Select(e => e.Start));
    }

    [Fact]
    public void Windows_are_anchored_only_in_the_given_episodes_and_carry_the_future_observation()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        var part = ds.Episodes().Skip(2).ToArray(); // rows 7..11 only
        using var sampler = new WindowSampler([new CorpusSpec("part", new FlatDatasetSource(ds), Episodes: part)],
            new WindowSamplerOptions { ObservationHistory = 2, ActionHorizon = 3, FutureKeys = ["observations"], BatchSize = 200, Seed = 1 });
        var batch = sampler.Sample(0);
        var obs = batch.Observations["observations"].ToFloats();
        var future = batch.Future["observations"].ToFloats();
        Assert.Equal([200, 2], batch.Future["observations"].Shape);
        for (int i = 0; i < batch.BatchSize; i++)
        {
            float current = obs[(i * 2 + 1) * 2];
            Assert.InRange(current, 7, 11);
            Assert.Equal(Math.Min(current + 3, 11), future[i * 2]);
            Assert.True(batch.HasActions[i]);
        }

        Assert.Equal(5, sampler.AnchorRows(0));
        Assert.Equal(5, batch.StepInEpisode.Distinct().Count());
    }

    [Fact]
    public void An_action_free_corpus_mixes_in_with_zero_masked_actions()
    {
        var labelled = EpisodeRecorderTests.ThreeEpisodes();
        var play = new FlatDataset(labelled.Columns.Where(c => c.Key != D4rlKeys.Actions), labelled.Metadata);
        using var sampler = new WindowSampler(
            [new CorpusSpec("labelled", new FlatDatasetSource(labelled)), new CorpusSpec("play", new FlatDatasetSource(play))],
            new WindowSamplerOptions { ObservationHistory = 1, ActionHorizon = 2, BatchSize = 400, Seed = 2 });
        var batch = sampler.Sample(0);
        var actions = batch.Actions.ToFloats();
        Assert.Contains(0, batch.CorpusIndex);
        Assert.Contains(1, batch.CorpusIndex);
        for (int i = 0; i < batch.BatchSize; i++)
        {
            bool fromPlay = batch.CorpusIndex[i] == 1;
            Assert.Equal(!fromPlay, batch.HasActions[i]);
            if (fromPlay)
            {
                Assert.Equal([0f, 0f], actions.AsSpan(i * 2, 2).ToArray());
                Assert.Equal([false, false], batch.ActionMask.AsSpan(i * 2, 2).ToArray());
            }
        }

        Assert.False(sampler.HasActions(1));
        using var onlyPlay = new WindowSampler([new CorpusSpec("play", new FlatDatasetSource(play))], new WindowSamplerOptions { ActionHorizon = 2, BatchSize = 3 });
        Assert.Equal([3, 2, 0], onlyPlay.Sample(0).Actions.Shape);
    }

    [Fact]
    public void Sources_outlive_a_sampler_opened_with_leave_open_and_batches_of_any_size_are_reproducible()
    {
        var source = new FlatDatasetSource(EpisodeRecorderTests.ThreeEpisodes());
        var options = new WindowSamplerOptions { ObservationHistory = 2, ActionHorizon = 2, Seed = 9 };
        SampleBatch first;
        using (var sampler = new WindowSampler([new CorpusSpec("a", source)], options, leaveOpen: true))
            first = sampler.Sample(5, 7);
        using var again = new WindowSampler([new CorpusSpec("a", source)], options);
        var second = again.Sample(5, 7);
        Assert.Equal(7, second.BatchSize);
        Assert.Equal(first.Observations["observations"].Data, second.Observations["observations"].Data);
        Assert.Equal(first.StepInEpisode, second.StepInEpisode);
    }
}
