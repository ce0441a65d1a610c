namespace Robotics.Cli.Commands.Demo;

/// <summary>One row of the demo table.</summary>
public sealed record DemoTaskRow(string Policy, int Task, string Instruction, int Episodes, double SuccessRate, double MeanLatencyMs);
