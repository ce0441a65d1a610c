namespace Robotics.Cli.Commands.Serve;

/// <summary>Which policy the host runs (configuration section "Policy").</summary>
public sealed class PolicySourceOptions
{
    public const string SectionName = "Policy";

    /// <summary>A <see cref="PolicySources"/> name: checkpoint, expert, fixed-cost.</summary>
    public string Type { get; set; } = "checkpoint";

    /// <summary>Checkpoint folder for "checkpoint" (from robotics train).</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Environment whose shapes (and, for "expert", scripted expert) the stand-ins use.</summary>
    public string Env { get; set; } = "tabletop-push";

    /// <summary>Busy time per call of the "fixed-cost" stand-in.</summary>
    public double CostMs { get; set; } = 2;

    public string Device { get; set; } = "cpu";

    public long Seed { get; set; }
}
