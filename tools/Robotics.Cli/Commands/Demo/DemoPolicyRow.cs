namespace Robotics.Cli.Commands.Demo;

/// <summary>One policy's result over all demo episodes: success rate with its 95% Wilson interval.</summary>
public sealed record DemoPolicyRow(string Policy, int Episodes, int Successes, double SuccessRate, double Low, double High);
