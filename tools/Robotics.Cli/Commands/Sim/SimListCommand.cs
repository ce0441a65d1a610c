using System.CommandLine;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sim;

/// <summary><c>robotics sim list</c>: every registered environment with its spaces, limit and task count.</summary>
public static class SimListCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print the environments as JSON." };

    public static Command Create()
    {
        var command = new Command("list", "List the registered environments.");
        command.Options.Add(Json);
        command.SetHandler((context, parse) =>
        {
            if (parse.GetValue(Json))
            {
                var rows = EnvironmentRegistry.All.Select(r =>
                {
                    using var env = r.Create();
                    return new
                    {
                        id = r.Id, description = r.Description, observation = env.Spec.Observation.Names, action = env.Spec.Action.Names,
                        maxEpisodeSteps = env.Spec.MaxEpisodeSteps, controlHz = env.Spec.ControlFrequencyHz, tasks = env.Spec.Tasks.Select(t => t.Instruction),
                    };
                }).ToArray();
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(ExitCodes.Success);
            }

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
