using System.CommandLine;

namespace Robotics.Cli.Commands.Bench;

/// <summary>
/// <c>robotics bench ...</c>: speed figures, each printed as a ratio against a reference measured in
/// the same run (never from timed unit tests). Each area adds one factory line.
/// </summary>
public static class BenchCommand
{
    private static readonly Func<Command>[] Subcommands =
    [
        BenchSimCommand.Create,
        BenchDatasetCommand.Create,
        BenchPolicyCommand.Create,
        BenchLoopCommand.Create,
        BenchFloodCommand.Create,
        BenchSweepCommand.Create,
        BenchDetectorCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Benchmarks that print ratios against a reference measured in the same run.");
        foreach (var sub in Subcommands)
            command.Subcommands.Add(sub());
        return command;
    }
}
