using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.D4rl;
using Robotics.Datasets.Trajectories;

namespace Robotics.Datasets.Tests.D4rl;

/// <summary>
/// qlearning_dataset and sequence_dataset against a line-by-line transcription of d4rl's Python
/// (lists appended in a loop), over random terminal / timeout patterns.
/// </summary>
public sealed class D4rlSemanticsPropertyTests
{
    private static FlatDataset Dataset(bool[] terminals, bool[]? timeouts)
    {
        int n = terminals.Length;
        // observation i = [i, -i] so every output row tells which input row it came from.
        var obs = Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, -(float)i }).ToArray();
        var columns = new Dictionary<string, NdArray>
        {
            ["observations"] = NdArray.FromFloats(obs, n, 2),
            ["actions"] = NdArray.FromFloats(Enumerable.Range(0, n).Select(i => i + 0.5f).ToArray(), n, 1),
            ["rewards"] = NdArray.FromFloats(Enumerable.Range(0, n).Select(i => i * 10f).ToArray(), n),
            ["terminals"] = new NdArray(DType.Bool, [n], terminals.Select(b => b ? (byte)1 : (byte)0).ToArray()),
        };
        if (timeouts is not null)
            columns["timeouts"] = new NdArray(DType.Bool, [n], timeouts.Select(b => b ? (byte)1 : (byte)0).ToArray());
        return new FlatDataset(columns);
    }

    // d4rl.qlearning_dataset, transcribed.
    private static (List<float> Obs, List<float> Next, List<float> Rew, List<bool> Term) ReferenceQLearning(
        bool[] terminals, bool[]? timeouts, bool terminateOnEnd, int maxEpisodeSteps)
    {
        int n = terminals.Length;
        var obs_ = new List<float>();
        var next_ = new List<float>();
        var rew_ = new List<float>();
        var done_ = new List<bool>();
        bool useTimeouts = timeouts is not null;
        int episodeStep = 0;
        for (int i = 0; i < n - 1; i++)
        {
            float o = i, newO = i + 1, r = i * 10f;
            bool doneBool = terminals[i];
            bool finalTimestep = useTimeouts ? timeouts![i] : episodeStep == maxEpisodeSteps - 1;
            if (!terminateOnEnd && finalTimestep)
            {
                episodeStep = 0;
                continue;
            }

            if (doneBool || finalTimestep)
                episodeStep = 0;
            obs_.Add(o);
            next_.Add(newO);
            rew_.Add(r);
            done_.Add(doneBool);
            episodeStep += 1;
        }

        return (obs_, next_, rew_, done_);
    }

    // d4rl.sequence_dataset, transcribed: returns the row indices of each yielded episode.
    private static List<List<int>> ReferenceSequence(bool[] terminals, bool[]? timeouts, int maxEpisodeSteps)
    {
        var episodes = new List<List<int>>();
        var data_ = new List<int>();
        bool useTimeouts = timeouts is not null;
        int episodeStep = 0;
        for (int i = 0; i < terminals.Length; i++)
        {
            bool doneBool = terminals[i];
            bool finalTimestep = useTimeouts ? timeouts![i] : episodeStep == maxEpisodeSteps - 1;
            data_.Add(i);
            if (doneBool || finalTimestep)
            {
                episodeStep = 0;
                episodes.Add(data_);
                data_ = [];
            }

            episodeStep += 1;
        }

        return episodes;
    }

    private static (bool[] Terminals, bool[]? Timeouts) Pattern(bool[] a, bool[] b, bool withTimeouts) =>
        (a, withTimeouts ? Enumerable.Range(0, a.Length).Select(i => i < b.Length && b[i]).ToArray() : null);

    [Property(MaxTest = 300)]
    public void QLearning_matches_the_reference(bool[] terminals, bool[] timeoutBits, bool withTimeouts, bool terminateOnEnd, PositiveInt maxSteps)
    {
        if (terminals.Length == 0)
            return;
        var (term, timeouts) = Pattern(terminals, timeoutBits, withTimeouts);
        int max = maxSteps.Get % 7 + 1;
        var expected = ReferenceQLearning(term, timeouts, terminateOnEnd, max);
        var actual = QLearningDataset.Build(Dataset(term, timeouts), terminateOnEnd, max);

        Assert.Equal(expected.Obs.Count, actual.Count);
        float[] obs = actual.Observations.ToFloats();
        float[] next = actual.NextObservations.ToFloats();
        Assert.Equal(expected.Obs, Enumerable.Range(0, actual.Count).Select(j => obs[2 * j]));
        Assert.Equal(expected.Obs.Select(o => -o), Enumerable.Range(0, actual.Count).Select(j => obs[2 * j + 1]));
        Assert.Equal(expected.Next, Enumerable.Range(0, actual.Count).Select(j => next[2 * j]));
        Assert.Equal(expected.Rew, actual.Rewards.ToFloats());
        Assert.Equal(expected.Term, actual.Terminals.Data.Select(b => b != 0));
        Assert.Equal(expected.Obs.Select(o => o + 0.5f), actual.Actions.ToFloats());
    }

    [Property(MaxTest = 300)]
    public void Sequence_matches_the_reference(bool[] terminals, bool[] timeoutBits, bool withTimeouts, PositiveInt maxSteps)
    {
        var (term, timeouts) = Pattern(terminals, timeoutBits, withTimeouts);
        int max = maxSteps.Get % 7 + 1;
        var expected = ReferenceSequence(term, timeouts, max);
        var actual = term.Length == 0 ? [] : SequenceDataset.Episodes(Dataset(term, timeouts), max).ToList();

        Assert.Equal(expected.Count, actual.Count);
        for (int e = 0; e < expected.Count; e++)
        {
            var rows = actual[e].Column("observations").ToFloats().Where((_, k) => k % 2 == 0).Select(v => (int)v);
            Assert.Equal(expected[e], rows);
            Assert.Empty(actual[e].Metadata);
        }
    }

    [Fact]
    public void Qlearning_without_timeouts_needs_max_episode_steps()
    {
        var ds = Dataset([false, false, true], null);
        var e = Assert.Throws<ArgumentException>(() => QLearningDataset.Build(ds));
        Assert.Contains("max_episode_steps", e.Message);
    }

    [Fact]
    public void Known_case_skips_timeouts_and_keeps_terminals()
    {
        // rows:      0  1  2  3  4  5
        // terminal:  .  T  .  .  .  .
        // timeout:   .  .  .  T  .  .
        var ds = Dataset([false, true, false, false, false, false], [false, false, false, true, false, false]);
        var q = QLearningDataset.Build(ds);
        Assert.Equal([0f, 1f, 2f, 4f], q.Observations.ToFloats().Where((_, k) => k % 2 == 0));
        Assert.Equal([false, true, false, false], q.Terminals.Data.Select(b => b != 0));
        var withEnd = QLearningDataset.Build(ds, terminateOnEnd: true);
        Assert.Equal(5, withEnd.Count);
        var episodes = SequenceDataset.Episodes(ds).ToList();
        Assert.Equal([2, 2], episodes.Select(e => (int)e.RowCount)); // rows 4..5 never end: dropped
    }
}
