using System.CommandLine;

namespace Robotics.Cli.Commands.Sim;

/// <summary><c>robotics sim ...</c>: the MuJoCo environments and their scripted experts.</summary>
public static class SimCommand
{
    private static readonly Func<Command>[] Subcommands =
    [
        SimListCommand.Create,
        SimTasksCommand.Create,
        SimRunCommand.Create,
        SimModesCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("sim", "MuJoCo simulations: list environments and tasks, run scripted experts.");
        foreach (var sub in Subcommands)
            command.Subcommands.Add(sub());
        return command;
    }
}
