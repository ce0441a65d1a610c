using System.CommandLine;
using Robotics.Cli.Commands.Doctor;
using Robotics.Cli.Hosting;

namespace Robotics.Cli;

/// <summary>The <c>robotics</c> command tree. Each area contributes its commands through one factory here.</summary>
public static class RoboticsCommandLine
{
    /// <summary>Top-level command factories, in help order. Adding an area adds one entry.</summary>
    private static readonly Func<Command>[] Areas =
    [
        DoctorCommand.Create,
        Commands.Sim.SimCommand.Create,
        Commands.Bench.BenchCommand.Create,
        Commands.Dataset.DatasetCommand.Create,
        Commands.Train.TrainCommand.Create,
        Commands.Eval.EvalCommand.Create,
        Commands.Serve.ServeCommand.Create,
        Commands.RobotSim.RobotSimCommand.Create,
        Commands.Operator.OperatorCommand.Create,
        Commands.Sweep.SweepCommand.Create,
        Commands.Detector.DetectorCommand.Create,
        Commands.Keys.KeysCommand.Create,
        Commands.Demo.DemoCommand.Create,
        Commands.Plot.PlotCommand.Create,
    ];

    public static RootCommand Build()
    {
        var root = new RootCommand("robotics: multitask diffusion policies, failure detection, offline datasets and MuJoCo simulations for .NET.");
        GlobalOptions.AddTo(root);
        foreach (var area in Areas)
            root.Subcommands.Add(area());
        return root;
    }
}
