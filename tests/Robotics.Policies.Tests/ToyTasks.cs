using Robotics.Core.Tasks;
using Robotics.Policies.Configuration;
using Robotics.Policies.MlpBc;
using Robotics.Policies.Mode;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;

namespace Robotics.Policies.Tests;

/// <summary>
/// A 2-D point task family small enough to learn in seconds: the state is a position, and the expert's
/// action is a velocity that depends on the task (0: go to the origin, 1: circle counter-clockwise,
/// 2: go to (1, 1)). Dynamics: s' = s + 0.1·a, so the world-model target is predictable too.
/// </summary>
internal static class ToyTasks
{
    public static readonly TaskSpec[] Tasks =
    [
        new(0, "home", "move to the origin"),
        new(1, "circle", "circle around the origin"),
        new(2, "corner", "move to the upper right corner"),
    ];

    public static float[] Expert(int task, float[] s) => task switch
    {
        0 => [-s[0], -s[1]],
        1 => [-s[1], s[0]],
        _ => [1 - s[0], 1 - s[1]],
    };

    public static PolicyConfig Config(string type = "mode", int experts = 4, int topK = 2, bool worldModel = false, int width = 32, int layers = 2) => new PolicyConfig
    {
        Type = type,
        StateDim = 2,
        ActionDim = 2,
        Tasks = Tasks.ToList(),
        Horizon = 4,
        ExecutedSteps = 2,
        ObservationHistory = 2,
        Width = width,
        TextBuckets = 256,
    }.With(new ModeOptions { Layers = layers, Heads = 2, Experts = experts, TopK = topK, WorldModel = worldModel, Causal = !worldModel, SamplingSteps = 5 })
     .With(new MlpBcOptions { Hidden = 64, Layers = 2 });

    public static IReadOnlyList<Episode> Episodes(int count, int length, int seed, bool withActions = true)
    {
        var rng = new Random(seed);
        var episodes = new List<Episode>();
        for (int e = 0; e < count; e++)
        {
            int task = e % Tasks.Length;
            var s = new[] { (float)(rng.NextDouble() * 2 - 1), (float)(rng.NextDouble() * 2 - 1) };
            var states = new List<float[]>();
            var actions = new List<float[]>();
            for (int t = 0; t < length; t++)
            {
                var a = Expert(task, s);
                states.Add(s);
                actions.Add(a);
                s = [s[0] + 0.1f * a[0], s[1] + 0.1f * a[1]];
            }

            episodes.Add(new Episode(states.ToArray(), withActions ? actions.ToArray() : null, task, Tasks[task].Instruction));
        }

        return episodes;
    }

    public static NormalizationStats Stats(IReadOnlyList<Episode> episodes) => new(
        FeatureStats.Compute(episodes.Select(e => e.States.SelectMany(x => x).ToArray()), 2),
        FeatureStats.Compute(episodes.Where(e => e.Actions is not null).Select(e => e.Actions!.SelectMany(x => x).ToArray()), 2));
}
