using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Recording;

public sealed class EpisodeRecorderTests
{
    internal static FlatDataset ThreeEpisodes()
    {
        var rec = new EpisodeRecorder();
        int row = 0;
        foreach (var (length, task, terminal, success) in new[] { (4, 0L, false, true), (3, 1L, true, false), (5, 0L, false, false) })
        {
            rec.BeginEpisode(task, task == 0 ? "push left" : "push right");
            for (int t = 0; t < length; t++, row++)
                rec.AddStep([row, 100 + row], [row * 0.5f], reward: t, terminal: terminal && t == length - 1, infos: new Dictionary<string, float[]> { ["qpos"] = [row, row] });
            rec.EndEpisode(success);
        }

        rec.SetMetadata("algorithm", "test");
        return rec.Build();
    }

    [Fact]
    public void Recorded_episodes_have_boundaries_labels_tasks_and_instructions()
    {
        var ds = ThreeEpisodes();
        Assert.Equal(12, ds.RowCount);
        var episodes = ds.Episodes();
        Assert.Equal([4, 3, 5], episodes.Select(e => e.Length));
        Assert.Equal([false, true, false], episodes.Select(e => e.Terminated));
        Assert.Equal([true, false, true], episodes.Select(e => e.TimedOut));
        Assert.Equal(Enumerable.Repeat(true, 4).Concat(Enumerable.Repeat(false, 8)), ds.Flags("infos/success"));
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0], ds.Column("infos/task_index").AsSpan<long>().ToArray());
        Assert.Equal([0L, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2], ds.Column("infos/episode_index").AsSpan<long>().ToArray());
        Assert.Equal(["push left", "push right"], ds.Metadata["metadata/task_instructions"].Strings);
        Assert.Equal([12, 2], ds.Column("infos/qpos").Shape);
    }

    [Fact]
    public void Recorded_dataset_survives_an_hdf5_round_trip()
    {
        using var dir = new TempDir();
        var ds = ThreeEpisodes();
        D4rlHdf5Writer.Write(dir.File("r.hdf5"), ds);
        var back = D4rlHdf5Reader.Read(dir.File("r.hdf5"));
        Assert.Equal(ds.Columns.Keys.Order(), back.Columns.Keys.Order());
        foreach (var key in ds.Columns.Keys)
            Assert.Equal(ds.Column(key).Data, back.Column(key).Data);
        Assert.Equal("test", back.Metadata["metadata/algorithm"].Text);
    }

    [Fact]
    public void Misuse_is_reported_clearly()
    {
        var rec = new EpisodeRecorder();
        Assert.Throws<InvalidOperationException>(() => rec.AddStep([1f], [1f], 0));
        rec.BeginEpisode();
        rec.AddStep([1f, 2f], [1f], 0);
        var e = Assert.Throws<ArgumentException>(() => rec.AddStep([1f], [1f], 0));
        Assert.Contains("observations", e.Message);
        Assert.Throws<InvalidOperationException>(() => rec.Build());
        Assert.Throws<ArgumentException>(() => rec.AddStep([1f, 2f], [1f], 0, infos: new Dictionary<string, float[]> { ["x"] = [1f] }));
    }
}
