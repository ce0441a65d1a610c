using System.Runtime.InteropServices;
using Robotics.Core.Progress;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Robotics.Sims.Generation;
using Robotics.Sims.Maze2d;
using Robotics.Sims.Tests.Support;

namespace Robotics.Sims.Tests.Generation;

public sealed class Maze2dDatasetGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maze2d-gen-").FullName;

    [Theory]
    [InlineData("maze2d-umaze", "sparse", 300)]
    [InlineData("maze2d-medium-dense", "dense", 600)]
    public void Written_file_passes_an_independent_h5py_check_of_the_fixed_defects(string id, string rewardType, int maxSteps)
    {
        var dataset = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions(id, Samples: 8_000, Seed: 11));
        string path = Path.Combine(_folder, id + ".hdf5");
        D4rlHdf5Writer.Write(path, dataset);
        var layout = id.Contains("umaze") ? MazeLayout.UMaze : MazeLayout.Medium;

        var report = PythonCheck.Run("check_maze2d.py", path, maxSteps.ToString(), rewardType, layout.Goal.W.ToString(), layout.Goal.H.ToString());
        Assert.Equal("float32", report.GetProperty("dtypes").GetProperty("observations").GetString());
        Assert.Equal("bool", report.GetProperty("dtypes").GetProperty("timeouts").GetString());
        Assert.Equal("bool", report.GetProperty("dtypes").GetProperty("terminals").GetString());
        Assert.Equal([8000, 4], report.GetProperty("shapes").GetProperty("observations").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["gzip"], report.GetProperty("compression").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(id, report.GetProperty("env").GetString());
        Assert.Equal(maxSteps, report.GetProperty("max_episode_steps").GetInt32());
        Assert.Contains(report.GetProperty("fixes").EnumerateArray(), f => f.GetString()!.Contains("step-aligned"));
        Assert.True(report.GetProperty("reward_max_err").GetDouble() < 1e-5, "rewards are not on the next observation");
        Assert.True(report.GetProperty("reward_sum").GetDouble() > 0);
        Assert.True(report.GetProperty("continuity_max_err").GetDouble() < 1e-4, "a row is not the successor of the previous one");
        Assert.Equal(0, report.GetProperty("repeated_rows").GetInt32());
        Assert.True(report.GetProperty("qpos_matches_obs").GetBoolean());
        Assert.Equal(0, report.GetProperty("changes_without_boundary").GetInt32());
        Assert.Equal(0, report.GetProperty("boundaries_without_change").GetInt32());
        Assert.InRange(report.GetProperty("max_segment").GetInt32(), 1, maxSteps);
        Assert.Equal(0, report.GetProperty("timeouts_not_at_limit").GetInt32());
        Assert.True(report.GetProperty("last_row_timeout").GetBoolean());
        Assert.True(report.GetProperty("goals_reached").GetInt32() > 5, "the expert should reach many targets");
        Assert.False(report.GetProperty("any_terminal").GetBoolean());
    }

    [Fact]
    public void Same_seed_same_data_and_noise_changes_the_actions()
    {
        var a = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 3_000, Seed: 4));
        var b = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 3_000, Seed: 4));
        var noisy = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 3_000, Noisy: true, Seed: 4));
        foreach (var key in a.Columns.Keys)
            Assert.Equal(a.Column(key).Data, b.Column(key).Data);
        Assert.Equal(a.Column(D4rlKeys.Observations).Data.AsSpan(0, 16).ToArray(), noisy.Column(D4rlKeys.Observations).Data.AsSpan(0, 16).ToArray());
        Assert.NotEqual(a.Column(D4rlKeys.Actions).Data, noisy.Column(D4rlKeys.Actions).Data);
        var actions = MemoryMarshal.Cast<byte, float>(noisy.Column(D4rlKeys.Actions).Data);
        foreach (float v in actions)
            Assert.InRange(v, -1f, 1f);
    }

    [Fact]
    public void Timeouts_fall_only_where_a_target_was_chased_for_the_whole_episode_limit()
    {
        // A short limit (the expert rarely needs D4RL's 300 steps) makes targets time out.
        var dataset = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 6_000, Noisy: true, Seed: 9, MaxEpisodeSteps: 60));
        var timeouts = dataset.Flags(D4rlKeys.Timeouts);
        var reached = dataset.Flags("infos/goal_reached");
        int segment = 0;
        for (int i = 0; i < timeouts.Length; i++)
        {
            segment++;
            if (timeouts[i] && i < timeouts.Length - 1)
                Assert.Equal(60, segment);
            Assert.True(segment <= 60);
            if (timeouts[i] || reached[i])
                segment = 0;
        }

        Assert.Contains(timeouts.SkipLast(1), t => t); // noise makes some targets run out of time
        Assert.True(timeouts[^1]);

        // Read back through the Datasets library too: the D4RL reader sees the same episodes.
        string path = Path.Combine(_folder, "noisy.hdf5");
        D4rlHdf5Writer.Write(path, dataset);
        var read = D4rlHdf5Reader.Read(path);
        Assert.Equal(dataset.Flags(D4rlKeys.Timeouts), read.Flags(D4rlKeys.Timeouts));
        Assert.Equal(dataset.Floats(D4rlKeys.Rewards).ToArray(), read.Floats(D4rlKeys.Rewards).ToArray());
    }

    [Fact]
    public void Reports_progress_and_honours_cancellation()
    {
        var reports = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(reports.Add);
        Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 25_000), progress);
        Assert.Equal(25_000, reports[^1].Done);
        Assert.True(reports.Count >= 3);

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 25_000), null, cts.Token));
        Assert.Throws<ArgumentException>(() => Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("tabletop-push", 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", 0)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void With_hold_steps_the_expert_stays_at_a_reached_target_that_long_before_the_next_is_drawn(int hold)
    {
        var dataset = Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions("maze2d-umaze", Samples: 6_000, Seed: 5, HoldSteps: hold));
        var goals = dataset.Column("infos/goal").ToFloats();
        var reached = dataset.Flags(Maze2dDatasetGenerator.GoalReachedKey);
        var timeouts = dataset.Flags(D4rlKeys.Timeouts);
        int checkedChanges = 0;
        for (int row = 0; row + 1 < reached.Length; row++)
        {
            bool change = goals[2 * row] != goals[2 * row + 2] || goals[2 * row + 1] != goals[2 * row + 3];
            if (!change || timeouts[row])
                continue;
            // The row the target was reached is flagged once, and the goal changes exactly hold rows after it.
            Assert.True(row - hold >= 0 && reached[row - hold], $"goal changed at row {row + 1} without a reached target {hold} rows before");
            Assert.DoesNotContain(true, reached.Skip(row - hold + 1).Take(hold));
            checkedChanges++;
        }

        Assert.True(checkedChanges > 5, $"only {checkedChanges} target changes in 6000 rows");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
