using Robotics.Sims.Agents;

namespace Robotics.Sims.Generation;

/// <summary>
/// D4RL-style maze2d generation: the environment id decides the maze and how rewards are labelled
/// (maze2d-umaze: sparse, maze2d-umaze-dense: dense); <see cref="Noisy"/> adds N(0, 1) x 0.5 to actions;
/// <see cref="MaxEpisodeSteps"/> overrides the per-target step limit (null: the environment's, as D4RL);
/// <see cref="Style"/> multimodal picks among equally short routes at random (infos/demo_alternate_route);
/// <see cref="HoldSteps"/> keeps the expert at a reached target that many steps before the next is drawn (D4RL: 0,
/// so its corpora never show stopping at a goal).
/// </summary>
public sealed record Maze2dGenerationOptions(string EnvironmentId, long Samples = 1_000_000, bool Noisy = false, long Seed = 0, int? MaxEpisodeSteps = null,
    DemoStyle Style = DemoStyle.Scripted, int HoldSteps = 0)
{
    public const double NoiseScale = 0.5;

    public void Validate()
    {
        if (Samples <= 0 || Samples > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(Samples), Samples, $"Samples must lie in 1..{int.MaxValue}.");
        if (HoldSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(HoldSteps), HoldSteps, "Hold steps must be >= 0.");
        if (MaxEpisodeSteps is <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxEpisodeSteps), MaxEpisodeSteps, "The step limit must be positive.");
        if (!EnvironmentId.StartsWith("maze2d-", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{EnvironmentId}' is not a maze2d environment.", nameof(EnvironmentId));
    }
}
