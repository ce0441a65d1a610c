using System.CommandLine;

namespace Robotics.Cli.Commands.Detector;

/// <summary><c>robotics detector collect</c>: the SAFE failure detector's data and models.</summary>
public static class DetectorCommand
{
    public static Command Create()
    {
        var command = new Command("detector", "Failure detectors (SAFE): collect policy features from rollouts, train, calibrate, evaluate.");
        command.Subcommands.Add(DetectorCollectCommand.Create());
        command.Subcommands.Add(DetectorTrainCommand.Create());
        command.Subcommands.Add(DetectorCalibrateCommand.Create());
        command.Subcommands.Add(DetectorEvalCommand.Create());
        command.Subcommands.Add(DetectorInspectCommand.Create());
        return command;
    }
}
