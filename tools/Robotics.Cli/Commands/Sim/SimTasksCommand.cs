using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sim;

/// <summary><c>robotics sim tasks ENV</c>: task ids, names and instructions, and the observation layout.</summary>
public static class SimTasksCommand
{
    private static readonly Argument<string> Environment = new("environment") { Description = "Environment id (see 'robotics sim list')." };

    public static Command Create()
    {
        var command = new Command("tasks", "Show an environment's tasks and its observation / action layout.");
        command.Arguments.Add(Environment);
        command.SetHandler((context, parse) =>
        {
            using var env = SimArguments.CreateEnvironment(parse.GetValue(Environment)!);
            var tasks = new Table().AddColumns("id", "name", "instruction");
            foreach (var task in env.Spec.Tasks)
                tasks.AddRow(task.Index.ToString(), Markup.Escape(task.Name), Markup.Escape(task.Instruction));
            context.Console.Write(tasks);
            context.Console.MarkupLineInterpolated($"observation [{env.Spec.Observation.Dimension}]: {string.Join(", ", env.Spec.Observation.Names)}");
            context.Console.MarkupLineInterpolated($"action [{env.Spec.Action.Dimension}] in [-1, 1]: {string.Join(", ", env.Spec.Action.Names)}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
