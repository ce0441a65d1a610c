namespace Robotics.Cli.Commands.Demo;

/// <summary>How long one stage of the demo took.</summary>
public sealed record DemoStage(string Stage, double Seconds);
