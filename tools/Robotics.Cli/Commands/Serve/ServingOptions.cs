namespace Robotics.Cli.Commands.Serve;

/// <summary>
/// Which policy the host runs (configuration section "Serving"; training has its own "Policy" and "Training"
/// sections, and the device and threads come from "Torch" for every command).
/// </summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>A <see cref="PolicySources"/> name: checkpoint, expert, fixed-cost.</summary>
    public string Policy { get; set; } = "checkpoint";

    /// <summary>Checkpoint folder for "checkpoint" (from robotics train).</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Environment whose shapes (and, for "expert", scripted expert) the stand-ins use.</summary>
    public string Env { get; set; } = "tabletop-push";

    /// <summary>Busy time per call of the "fixed-cost" stand-in.</summary>
    public double CostMs { get; set; } = 2;

    /// <summary>Seed of the policy's sampling noise (each episode reseeds from it).</summary>
    public long Seed { get; set; }

    /// <summary>A SAFE detector checkpoint (robotics detector train): its alarm stops or backtracks like any monitor's.</summary>
    public string? Detector { get; set; }
}
