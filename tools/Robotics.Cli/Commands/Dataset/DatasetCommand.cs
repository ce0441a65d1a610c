using System.CommandLine;

namespace Robotics.Cli.Commands.Dataset;

/// <summary><c>robotics dataset ...</c>: inspect, validate, stats, convert, split and qlearning over offline corpora.</summary>
public static class DatasetCommand
{
    private static readonly Func<Command>[] Subcommands =
    [
        DatasetInspectCommand.Create,
        DatasetValidateCommand.Create,
        DatasetStatsCommand.Create,
        DatasetConvertCommand.Create,
        DatasetSplitCommand.Create,
        DatasetQLearningCommand.Create,
        DatasetGenerateCommand.Create,
        DatasetSynthesizeCommand.Create,
        DatasetLabelActionsCommand.Create,
    ];

    public static Command Create()
    {
        var command = new Command("dataset", "Offline trajectory datasets: D4RL / Minari / robomimic HDF5 and LeRobot v3.0 folders.");
        foreach (var sub in Subcommands)
            command.Subcommands.Add(sub());
        return command;
    }
}
