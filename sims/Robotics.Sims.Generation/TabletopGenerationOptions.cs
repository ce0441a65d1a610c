using Robotics.Sims.Agents;

namespace Robotics.Sims.Generation;

/// <summary>
/// Tabletop-push generation: episodes, the tasks to cycle through (null: all 12), action noise std,
/// fraction of episodes with an injected fault and the fault kinds (null: all), seed, worker threads, and the
/// demonstration style (scripted, or multimodal: a strategy drawn per episode and recorded under infos/demo_*).
/// </summary>
public sealed record TabletopGenerationOptions(
    int Episodes,
    IReadOnlyList<int>? Tasks = null,
    double Noise = 0.0,
    double FailureRate = 0.0,
    IReadOnlyList<string>? FailureKinds = null,
    long Seed = 0,
    int Workers = 0,
    DemoStyle Style = DemoStyle.Scripted);
