using Robotics.Policies.Data;

namespace Robotics.Policies.Tests.Data;

public sealed class EpisodeWindowSourceTests
{
    private static Episode Ramp(int length, int task, float offset, bool actions = true) => new(
        Enumerable.Range(0, length).Select(t => new[] { offset + t, 0f }).ToArray(),
        actions ? Enumerable.Range(0, length).Select(t => new[] { offset + t, 1f }).ToArray() : null,
        task, ToyTasks.Tasks[task].Instruction);

    [Fact]
    public void Windows_pad_history_at_the_start_and_actions_past_the_end()
    {
        var config = ToyTasks.Config(); // horizon 4, history 2
        var source = new EpisodeWindowSource([new EpisodeCorpus("c", [Ramp(3, 0, 0)])], config, seed: 1, maskPadding: true);
        for (int step = 0; step < 20; step++)
        {
            var b = source.Sample(step, 1);
            int t = (int)b.State[2]; // the newest history frame is step t of the ramp
            Assert.Equal(Math.Max(0, t - 1), b.State[0]);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(Math.Min(t + k, 2), b.Actions[k * 2]);
                Assert.Equal(t + k <= 2 ? 1f : 0f, b.ActionMask[k]);
            }

            Assert.Equal(Math.Min(t + 4, 2), b.FutureState[0]);
            Assert.Equal(1f, b.HasActions[0]);
        }
    }

    [Fact]
    public void Batches_are_a_pure_function_of_seed_and_step_and_corpora_mix_by_weight()
    {
        var config = ToyTasks.Config();
        var corpora = new[] { new EpisodeCorpus("a", [Ramp(50, 0, 0)], Weight: 3), new EpisodeCorpus("b", [Ramp(5, 1, 1000, actions: false)], Weight: 1) };
        var source = new EpisodeWindowSource(corpora, config, seed: 9);
        Assert.Equal(source.Sample(17, 64).State, new EpisodeWindowSource(corpora, config, seed: 9).Sample(17, 64).State);
        Assert.NotEqual(source.Sample(17, 64).State, source.Sample(18, 64).State);
        var big = source.Sample(0, 4000);
        double shareB = big.TaskIndex.Count(t => t == 1) / 4000.0;
        Assert.Equal(0.25, shareB, 1);
        // Action-free corpus: HasActions is 0 exactly for its samples.
        for (int i = 0; i < 4000; i++)
            Assert.Equal(big.TaskIndex[i] == 1 ? 0f : 1f, big.HasActions[i]);
    }

    [Fact]
    public void Mismatched_episodes_are_reported_with_corpus_episode_and_step()
    {
        var config = ToyTasks.Config();
        var bad = new Episode([[0f, 0f], [1f, 2f, 3f]], [[0f, 0f], [0f, 0f]], 0, null);
        var e = Assert.Throws<ArgumentException>(() => new EpisodeWindowSource([new EpisodeCorpus("demo", [Ramp(3, 0, 0), bad])], config, 1));
        Assert.Contains("corpus 'demo' episode 1 step 1", e.Message);
        Assert.Throws<ArgumentException>(() => new EpisodeWindowSource([new EpisodeCorpus("empty", [])], config, 1));
    }
}
