using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Runtime;
using static TorchSharp.torch;

namespace Robotics.Policies.Tests.Runtime;

/// <summary>
/// Train and run must see the same frames: replaying a recorded episode through the runtime path (PredictChunk every
/// ExecutedSteps steps, Observe in between) gives, at every call, exactly the frames the training window of that
/// step holds.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ObservationHistoryTests
{
    [Theory]
    [MemberData(nameof(RegisteredPolicies.Names), MemberType = typeof(RegisteredPolicies))]
    public void Runtime_history_equals_the_training_window_at_every_call(string type)
    {
        var config = ToyTasks.Config(type);
        config.ObservationHistory = 3;
        config.ExecutedSteps = 3;
        var episode = ToyTasks.Episodes(1, 23, seed: 9)[0];
        var windows = TrainingWindows(config, episode);
        using var policy = new TorchChunkPolicy(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats([episode])), CPU, seed: 1);

        int calls = 0;
        for (int round = 0; round < 2; round++) // a second episode after Reset must start afresh
        {
            policy.Reset();
            for (int t = 0; t < episode.Length; t++)
            {
                var observation = Observation(episode, t);
                if (t % config.ExecutedSteps == 0)
                {
                    policy.PredictChunk(observation);
                    calls++;
                    var history = policy.History;
                    Assert.Equal(config.ObservationHistory, history.Count);
                    for (int k = 0; k < history.Count; k++)
                        Assert.True(windows[t][k].SequenceEqual(history[k]), $"{type}: step {t}, frame {k}: runtime [{string.Join(", ", history[k])}] vs training [{string.Join(", ", windows[t][k])}]");
                }
                else
                {
                    policy.Observe(observation);
                }
            }
        }

        Assert.Equal(2 * ((episode.Length + config.ExecutedSteps - 1) / config.ExecutedSteps), calls);
    }

    [Fact]
    public void The_same_step_handed_over_twice_replaces_its_frame_instead_of_shifting_the_history()
    {
        var config = ToyTasks.Config();
        var episode = ToyTasks.Episodes(1, 6, seed: 4)[0];
        using var policy = new TorchChunkPolicy(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats([episode])), CPU, seed: 1);
        policy.Reset();
        for (int t = 0; t < 4; t++)
            policy.Observe(Observation(episode, t));
        policy.PredictChunk(Observation(episode, 3)); // a replan from the step already seen (resume after a stop)
        var history = policy.History;
        Assert.Equal(episode.States[2], history[0]);
        Assert.Equal(episode.States[3], history[1]);
    }

    [Fact]
    public void A_bad_observation_on_a_step_without_a_call_is_refused_by_name()
    {
        var config = ToyTasks.Config();
        using var policy = new TorchChunkPolicy(PolicyRegistry.Create(config), new PolicyProcessor(config, ToyTasks.Stats(ToyTasks.Episodes(3, 5, 1))), CPU);
        var e = Assert.Throws<ArgumentException>(() => policy.Observe(new PolicyObservation(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats([1f, float.NaN]) }, 0)));
        Assert.Contains("non-finite", e.Message);
    }

    private static PolicyObservation Observation(ToyEpisode episode, int t) =>
        new(new Dictionary<string, NdArray> { [FeatureKeys.State] = NdArray.FromFloats(episode.States[t]) }, episode.TaskIndex, episode.Instruction, t);

    /// <summary>The state frames of the training window at each step t, read back from the real window source.</summary>
    private static Dictionary<int, float[][]> TrainingWindows(Configuration.PolicyConfig config, ToyEpisode episode)
    {
        using var source = ToyTasks.Source([episode], config, 3);
        int n = config.ObservationHistory, s = config.StateDim;
        var windows = new Dictionary<int, float[][]>();
        for (long draw = 0; windows.Count < episode.Length && draw < 64; draw++)
        {
            var batch = source.Sample(draw, 64);
            for (int b = 0; b < batch.Size; b++)
            {
                var frames = Enumerable.Range(0, n).Select(k => batch.State.AsSpan((b * n + k) * s, s).ToArray()).ToArray();
                int t = Array.FindIndex(episode.States, row => row.SequenceEqual(frames[^1]));
                windows[t] = frames;
            }
        }

        Assert.Equal(episode.Length, windows.Count);
        return windows;
    }
}
