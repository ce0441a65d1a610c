using Robotics.Datasets.Formats.Robomimic;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Tests.Support;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.Sampling;

/// <summary>
/// On a robomimic done-mode-2 file (terminals set at every success step inside each demo) the
/// sampler's windows stay inside one demo, cut only where infos/episode_index changes.
/// </summary>
public sealed class WindowSamplerEpisodeIndexTests
{
    [Fact]
    public void Windows_never_cross_an_episode_index_boundary_and_do_cross_mid_demo_terminals()
    {
        var ds = RobomimicDataset.Read(Fixtures.Path("robomimic_done_mode2.hdf5"));
        long[] ids = ds.EpisodeIndex()!;
        bool[] terminals = ds.Flags(D4rlKeys.Terminals);
        // fixture actions[:, 0] = demo number, actions[:, 1] = 0.01 * step + demo
        using var sampler = new WindowSampler([new CorpusSpec("rm", new FlatDatasetSource(ds))], new WindowSamplerOptions
        {
            ObservationKeys = [D4rlKeys.EpisodeIndex, "obs/robot0_eef_pos"],
            ObservationHistory = 4,
            ActionHorizon = 8,
            BatchSize = 512,
            Seed = 11,
        });
        Assert.Equal(4, sampler.Episodes(0).Count);

        bool crossedTerminal = false;
        for (long b = 0; b < 4; b++)
        {
            var batch = sampler.Sample(b);
            var windowIds = batch.Observations[D4rlKeys.EpisodeIndex].AsSpan<long>().ToArray();
            float[] actions = batch.Actions.ToFloats();
            for (int i = 0; i < batch.BatchSize; i++)
            {
                var episode = sampler.Episodes(0)[batch.EpisodeIndex[i]];
                long anchor = episode.Start + batch.StepInEpisode[i];
                long demo = ids[anchor];
                for (int k = 0; k < 4; k++)
                    Assert.Equal(demo, windowIds[i * 4 + k]);
                for (int k = 0; k < 8; k++)
                {
                    Assert.Equal(demo, actions[(i * 8 + k) * 7]);
                    long row = anchor + k;
                    if (batch.ActionMask[i * 8 + k] && row > anchor && terminals[row - 1])
                        crossedTerminal = true; // the window runs on past a success done, inside the demo
                }
            }
        }

        Assert.True(crossedTerminal, "with done mode 2 some windows must continue past a terminal inside their demo");
    }
}
