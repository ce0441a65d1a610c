namespace Robotics.Sims.Failures;

/// <summary>
/// One injected fault for an episode, drawn from the episode's seed: its kind, when it starts, how
/// long it lasts (int.MaxValue = to the end), its strength and a kind-specific target (block, axis,
/// zone) and direction (radians, for shoves).
/// </summary>
public sealed record FailurePlan(string Kind, int StartStep, int Duration, double Magnitude, int Target, double Direction)
{
    public const string None = "none";

    public bool IsActive(int step) => step >= StartStep && step - StartStep < Duration;

    public override string ToString() => $"{Kind} at step {StartStep}" + (Duration == int.MaxValue ? "" : $" for {Duration}") + $" (magnitude {Magnitude:0.###}, target {Target})";
}
