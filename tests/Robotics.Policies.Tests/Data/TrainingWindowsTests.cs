using Robotics.Core.Arrays;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Training;

namespace Robotics.Policies.Tests.Data;

/// <summary>
/// Training goes through the datasets library's sampler: every window equals the one Diffusion Policy's rule cuts
/// from the episode in memory (the rule the policies' own window source used before it was deleted), on an
/// h5py-written D4RL file and on a goal-conditioned corpus whose episodes are cut where the goal changes.
/// </summary>
public sealed class TrainingWindowsTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "d4rl_small.hdf5");

    /// <summary>The reference window at step t of an episode held as rows (states, actions): history, chunk, future.</summary>
    private static (float[] State, float[] Actions, float[] Future) Reference(float[][] states, float[][] actions, int t, int n, int h) =>
        (Enumerable.Range(0, n).SelectMany(k => states[Math.Max(0, t - n + 1 + k)]).ToArray(),
         Enumerable.Range(0, h).SelectMany(k => actions[Math.Min(t + k, states.Length - 1)]).ToArray(),
         states[Math.Min(t + h, states.Length - 1)]);

    private static float[][] Rows(NdArray array)
    {
        var flat = array.ToFloats();
        int width = (int)(array.ElementCount / array.Shape[0]);
        return Enumerable.Range(0, array.Shape[0]).Select(r => flat.AsSpan(r * width, width).ToArray()).ToArray();
    }

    private static void AssertWindowsMatch(TrainingPlan plan, float[][] states, float[][] actions, int batches)
    {
        var config = plan.Config;
        int n = config.ObservationHistory, h = config.Horizon, s = config.StateDim, a = config.ActionDim;
        for (long step = 0; step < batches; step++)
        {
            var raw = plan.Train.Sample(step, 32);
            var anchors = plan.Train.Sampler.Sample(step, 32); // the same batch: a pure function of (seed, step, size)
            var episodes = plan.Train.Sampler.Episodes(0);
            for (int b = 0; b < raw.Size; b++)
            {
                var episode = episodes.Single(e => e.Index == anchors.EpisodeIndex[b]);
                var rows = Enumerable.Range((int)episode.Start, episode.Length);
                var (state, chunk, future) = Reference(rows.Select(r => states[r]).ToArray(), rows.Select(r => actions[r]).ToArray(), anchors.StepInEpisode[b], n, h);
                Assert.Equal(state, raw.State.AsSpan(b * n * s, n * s).ToArray());
                Assert.Equal(chunk, raw.Actions.AsSpan(b * h * a, h * a).ToArray());
                Assert.Equal(future, raw.FutureState.AsSpan(b * s, s).ToArray());
                Assert.All(raw.ActionMask.AsSpan(b * h, h).ToArray(), m => Assert.Equal(1f, m));
                Assert.Equal(1f, raw.HasActions[b]);
            }
        }
    }

    [Fact]
    public void Windows_from_an_h5py_written_d4rl_file_equal_the_reference_windows()
    {
        var preset = PolicyPreset.Load("tabletop-mode");
        using var plan = TrainingPlan.Build(preset, [TrainingCorpus.Open(Fixture)], new TrainingOptions { BatchSize = 32, Seed = 4 });
        using var file = Hdf5TrajectoryFile.Open(Fixture);
        Assert.Equal(3, plan.Config.StateDim);
        Assert.Equal(2, plan.Config.ActionDim);
        // No task_instructions in the file: one task named after it.
        Assert.Equal(["d4rl_small"], plan.Config.Tasks.Select(t => t.Instruction));
        Assert.Equal(file.Episodes().Count(e => e.Length >= 2), plan.TrainEpisodes);
        AssertWindowsMatch(plan, Rows(file.ReadColumn(D4rlKeys.Observations)), Rows(file.ReadColumn(D4rlKeys.Actions)), batches: 6);

        // The normaliser's statistics are the file's (every row), as DatasetStatistics computes them.
        var observations = Rows(file.ReadColumn(D4rlKeys.Observations));
        Assert.Equal(observations.Min(r => r[1]), (float)plan.Stats.State.Min[1]);
        Assert.Equal(observations.Average(r => (double)r[0]), plan.Stats.State.Mean[0], 6);
    }

    [Fact]
    public void With_a_goal_the_state_is_observation_then_goal_and_windows_never_cross_a_goal_change()
    {
        var episodes = ToyTasks.Episodes(4, 12, seed: 3);
        var corpus = ToyTasks.Corpus(episodes);
        // Each episode's goal changes once, at step 5: the reference cuts it there.
        var goals = episodes.SelectMany(e => Enumerable.Range(0, e.Length).Select(t => new[] { t < 5 ? 1f : 2f, e.TaskIndex })).ToArray();
        corpus = corpus.WithColumn("infos/goal", NdArray.FromFloats(goals.SelectMany(g => g).ToArray(), goals.Length, 2));
        string path = Path.Combine(Path.GetTempPath(), $"goal-windows-{Guid.NewGuid():N}.hdf5");
        try
        {
            D4rlHdf5Writer.Write(path, corpus);
            var preset = PolicyPreset.Load("tabletop-mode");
            preset.GoalKey = "infos/goal";
            using var plan = TrainingPlan.Build(preset, [TrainingCorpus.Open(path)], new TrainingOptions { BatchSize = 32, Seed = 1 });
            Assert.Equal(4, plan.Config.StateDim);
            Assert.Equal(8, plan.TrainEpisodes); // 4 episodes x 2 goal segments
            var states = episodes.SelectMany(e => e.States).Select((s, i) => s.Concat(goals[i]).ToArray()).ToArray();
            AssertWindowsMatch(plan, states, episodes.SelectMany(e => e.Actions!).ToArray(), batches: 4);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Statistics_stored_beside_the_corpus_are_used_and_stale_ones_refused()
    {
        string dir = Directory.CreateTempSubdirectory("stored-stats-").FullName;
        try
        {
            string path = Path.Combine(dir, "toy.hdf5");
            D4rlHdf5Writer.Write(path, ToyTasks.Corpus(ToyTasks.Episodes(6, 10, seed: 2)));
            var preset = PolicyPreset.Load("tabletop-mode");
            using var source = Hdf5TrajectoryFile.Open(path);
            var stats = Robotics.Datasets.Statistics.DatasetStatistics.Compute(source).ToDictionary(k => k.Key, k => k.Value);
            // Doctored so the test can tell them from a fresh pass.
            stats[D4rlKeys.Observations] = stats[D4rlKeys.Observations] with { Min = [-42, -42] };
            Robotics.Datasets.Statistics.StatsJson.Write(path + ".stats.json", stats);
            using (var plan = TrainingPlan.Build(preset, [TrainingCorpus.Open(path)], new TrainingOptions()))
                Assert.Equal(-42, plan.Stats.State.Min[0]);

            stats[D4rlKeys.Observations] = stats[D4rlKeys.Observations] with { Count = 7 };
            Robotics.Datasets.Statistics.StatsJson.Write(path + ".stats.json", stats);
            var stale = Assert.Throws<InvalidDataException>(() => TrainingPlan.Build(preset, [TrainingCorpus.Open(path)], new TrainingOptions()));
            Assert.Contains("stale", stale.Message);
            Assert.Contains("toy.hdf5.stats.json", stale.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
