namespace Robotics.Cli.Hosting;

/// <summary>A usage error: the message tells the user which option or value is wrong. Exit code 2.</summary>
public sealed class CommandLineException(string message) : Exception(message);
