using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sim;

/// <summary><c>robotics sim list</c>: every registered environment with its spaces, limit and task count.</summary>
public static class SimListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the registered environments.");
        command.SetHandler((context, _) =>
        {
            var table = new Table().AddColumns("environment", "obs", "action", "max steps", "control Hz", "tasks", "description");
            foreach (var registration in EnvironmentRegistry.All)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                using var env = registration.Create();
                var spec = env.Spec;
                table.AddRow(registration.Id, spec.Observation.Dimension.ToString(), spec.Action.Dimension.ToString(), spec.MaxEpisodeSteps.ToString(),
                    spec.ControlFrequencyHz.ToString("0.#"), spec.Tasks.Count.ToString(), Markup.Escape(registration.Description));
            }

            context.Console.Write(table);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
