using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Recording;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Tests.Recording;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Sampling;

public sealed class WindowSamplerTests
{
    private static WindowSampler Sampler(FlatDataset ds, WindowSamplerOptions options) =>
        new([new CorpusSpec("a", new FlatDatasetSource(ds))], options);

    [Fact]
    public void Windows_stay_in_their_episode_and_pad_by_repeating_the_edge_with_false_masks()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes(); // observation[0] = row index, episodes [0,4) [4,7) [7,12)
        var episodes = ds.Episodes();
        using var sampler = Sampler(ds, new WindowSamplerOptions { ObservationHistory = 3, ActionHorizon = 4, BatchSize = 256, Seed = 5 });
        var batch = sampler.Sample(0);
        float[] obs = batch.Observations["observations"].ToFloats();
        float[] act = batch.Actions.ToFloats();
        Assert.Equal([256, 3, 2], batch.Observations["observations"].Shape);
        Assert.Equal([256, 4, 1], batch.Actions.Shape);
        for (int i = 0; i < batch.BatchSize; i++)
        {
            var episode = episodes[batch.EpisodeIndex[i]];
            int t = batch.StepInEpisode[i];
            for (int k = 0; k < 3; k++)
            {
                int frame = t - 2 + k;
                long expectedRow = episode.Start + Math.Clamp(frame, 0, episode.Length - 1);
                Assert.Equal(expectedRow, (long)obs[(i * 3 + k) * 2]);
                Assert.Equal(frame >= 0, batch.ObservationMask[i * 3 + k]);
            }

            for (int k = 0; k < 4; k++)
            {
                int frame = t + k;
                long expectedRow = episode.Start + Math.Min(frame, episode.Length - 1);
                Assert.Equal(expectedRow * 0.5f, act[i * 4 + k]);
                Assert.Equal(frame < episode.Length, batch.ActionMask[i * 4 + k]);
            }

            Assert.Equal(ds.Column("infos/task_index").AsSpan<long>()[(int)(episode.Start + t)], batch.TaskIndex[i]);
        }

        Assert.Contains(false, batch.ObservationMask);
        Assert.Contains(false, batch.ActionMask);
    }

    [Fact]
    public void Diffusion_policy_alignment_starts_actions_at_the_first_observation()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        using var sampler = Sampler(ds, new WindowSamplerOptions { ObservationHistory = 2, ActionHorizon = 3, BatchSize = 64, ActionsFromFirstObservation = true });
        var batch = sampler.Sample(3);
        float[] obs = batch.Observations["observations"].ToFloats();
        float[] act = batch.Actions.ToFloats();
        for (int i = 0; i < batch.BatchSize; i++)
            Assert.Equal(obs[i * 2 * 2] * 0.5f, act[i * 3]);
    }

    [Fact]
    public void Batches_are_a_function_of_seed_and_index_with_or_without_prefetch()
    {
        var ds = D4rlHdf5RoundTripTestsAccess.Sample(3000);
        var options = new WindowSamplerOptions { BatchSize = 32, Seed = 11, ObservationKeys = ["observations", "infos/images/front"] };
        using var a = Sampler(ds, options);
        using var b = Sampler(ds, options);
        using var c = Sampler(ds, options with { Seed = 12 });
        var streamed = a.Batches(0, 6).ToList();
        for (int k = 5; k >= 0; k--)
        {
            var direct = b.Sample(k);
            Assert.Equal(direct.Observations["observations"].Data, streamed[k].Observations["observations"].Data);
            Assert.Equal(direct.Observations["infos/images/front"].Data, streamed[k].Observations["infos/images/front"].Data);
            Assert.Equal(DType.UInt8, direct.Observations["infos/images/front"].DType);
            Assert.Equal(direct.Actions.Data, streamed[k].Actions.Data);
        }

        Assert.NotEqual(b.Sample(0).Actions.Data, c.Sample(0).Actions.Data);
    }

    [Fact]
    public void Corpora_are_mixed_by_weight_and_keep_their_default_task()
    {
        var first = EpisodeRecorderTests.ThreeEpisodes();
        var second = new FlatDataset(first.Columns.Where(c => c.Key != "infos/task_index"));
        using var sampler = new WindowSampler(
            [new CorpusSpec("tasks", new FlatDatasetSource(first), 3.0), new CorpusSpec("plain", new FlatDatasetSource(second), 1.0, DefaultTaskIndex: 9)],
            new WindowSamplerOptions { BatchSize = 1000, Seed = 3 });
        var batches = Enumerable.Range(0, 4).Select(k => sampler.Sample(k)).ToList();
        double share = batches.SelectMany(b => b.CorpusIndex).Count(c => c == 0) / 4000.0;
        Assert.InRange(share, 0.72, 0.78);
        foreach (var batch in batches)
        {
            for (int i = 0; i < batch.BatchSize; i++)
            {
                if (batch.CorpusIndex[i] == 1)
                    Assert.Equal(9, batch.TaskIndex[i]);
                else
                    Assert.InRange(batch.TaskIndex[i], 0, 1);
            }
        }
    }

    [Fact]
    public void Streaming_from_hdf5_under_a_small_cache_gives_the_same_batches_as_memory()
    {
        using var dir = new TempDir();
        var ds = D4rlHdf5RoundTripTestsAccess.Sample(20_000);
        D4rlHdf5Writer.Write(dir.File("big.hdf5"), ds, new Hdf5WriteOptions { ChunkBytes = 16 << 10 });
        var options = new WindowSamplerOptions { BatchSize = 16, Seed = 2, BlockRows = 256, CacheBytes = 64 << 10 };
        using var memory = Sampler(ds, options);
        using var streamed = new WindowSampler([new CorpusSpec("file", Hdf5TrajectoryFile.Open(dir.File("big.hdf5")))], options);
        foreach (var (m, s) in memory.Batches(0, 20).Zip(streamed.Batches(0, 20)))
        {
            Assert.Equal(m.Observations["observations"].Data, s.Observations["observations"].Data);
            Assert.Equal(m.Actions.Data, s.Actions.Data);
        }

        long largestBlock = 256L * ds.Info("infos/images/front").RowBytes;
        Assert.True(streamed.PeakCacheBytes <= (64 << 10) + largestBlock, $"peak {streamed.PeakCacheBytes} bytes");
        Assert.True(streamed.BlockReads > 20);
    }

    [Fact]
    public void Block_shuffled_sampling_is_reproducible_stays_in_resident_blocks_and_covers_the_corpus()
    {
        using var dir = new TempDir();
        var ds = D4rlHdf5RoundTripTestsAccess.Sample(20_000);
        D4rlHdf5Writer.Write(dir.File("big.hdf5"), ds, new Hdf5WriteOptions { ChunkBytes = 16 << 10 });
        var options = new WindowSamplerOptions { BatchSize = 32, Seed = 4, BlockRows = 500, ResidentBlocks = 3, BatchesPerRotation = 5, CacheBytes = 256 << 10 };
        using var memory = Sampler(ds, options);
        using var streamed = new WindowSampler([new CorpusSpec("file", Hdf5TrajectoryFile.Open(dir.File("big.hdf5")))], options);
        var episodes = ds.Episodes();
        var seenBlocks = new HashSet<long>();
        foreach (var (m, s) in memory.Batches(0, 1000).Zip(streamed.Batches(0, 1000)))
        {
            Assert.Equal(m.Observations["observations"].Data, s.Observations["observations"].Data);
            Assert.Equal(m.Actions.Data, s.Actions.Data);
            var blocks = Enumerable.Range(0, m.BatchSize).Select(i => (episodes[m.EpisodeIndex[i]].Start + m.StepInEpisode[i]) / 500).ToHashSet();
            Assert.True(blocks.Count <= 3, $"batch {m.BatchIndex} anchors in {blocks.Count} blocks");
            seenBlocks.UnionWith(blocks);
        }

        Assert.Equal(40, seenBlocks.Count); // 200 rotations of 3 random blocks reach all 40 blocks of 500 rows
        Assert.True(streamed.BlockReads < 1000 * 32 / 8, $"{streamed.BlockReads} block reads for 32000 windows");
    }

    [Fact]
    public void Bad_options_and_mismatched_corpora_are_rejected_with_names()
    {
        var ds = EpisodeRecorderTests.ThreeEpisodes();
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampler(ds, new WindowSamplerOptions { ActionHorizon = 0 }));
        var narrow = ds.WithColumn("actions", NdArray.FromFloats(new float[24], 12, 2));
        var e = Assert.Throws<ArgumentException>(() => new WindowSampler(
            [new CorpusSpec("a", new FlatDatasetSource(ds)), new CorpusSpec("b", new FlatDatasetSource(narrow))]));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("actions", e.Message);
        var missing = Assert.Throws<KeyNotFoundException>(() => Sampler(ds, new WindowSamplerOptions { ObservationKeys = ["nope"] }));
        Assert.Contains("nope", missing.Message);
    }
}
