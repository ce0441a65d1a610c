using System.CommandLine;

namespace Robotics.Cli.Commands.Sweep;

/// <summary><c>robotics sweep run | merge | report | check | k8s</c>: simulation sweeps with honest statistics.</summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var command = new Command("sweep", "Simulation sweeps: policies x environments x tasks x conditions x seeds, sharded, resumable, with statistics and a CI gate.");
        command.Subcommands.Add(SweepRunCommand.Create());
        command.Subcommands.Add(SweepMergeCommand.Create());
        command.Subcommands.Add(SweepReportCommand.Create());
        command.Subcommands.Add(SweepCheckCommand.Create());
        command.Subcommands.Add(SweepK8sCommand.Create());
        return command;
    }
}
