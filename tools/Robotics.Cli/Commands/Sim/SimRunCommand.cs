using System.CommandLine;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Sims.Rollouts;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sim;

/// <summary><c>robotics sim run ENV --expert --episodes N</c>: per-episode return, success and length.</summary>
public static class SimRunCommand
{
    private static readonly Argument<string> Environment = new("environment") { Description = "Environment id (see 'robotics sim list')." };
    private static readonly Option<bool> Expert = new("--expert") { Description = "Drive the environment with its scripted expert (the only agent this command runs; policies are evaluated by the evaluation commands)." };
    private static readonly Option<int> Episodes = new("--episodes") { Description = "Number of episodes.", DefaultValueFactory = _ => 10 };
    private static readonly Option<long> Seed = new("--seed") { Description = "Base seed; episode i always gets the same seed.", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Tasks = new("--tasks") { Description = "Comma-separated task ids to cycle through, or 'all' (default: drawn per episode)." };
    private static readonly Option<double> Noise = new("--noise") { Description = "Std of Gaussian action noise (actions are clipped to [-1, 1]).", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<double> Failures = new("--failures") { Description = "Fraction of episodes with an injected fault (tabletop-push).", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<string?> FailureKinds = new("--failure-kinds") { Description = "Comma-separated fault kinds: shove, weak-actuator, stuck-actuator, wrong-target (default: all)." };
    private static readonly Option<int> Workers = new("--workers") { Description = "Worker threads (0: one per core).", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the episodes as JSON lines." };

    public static Command Create()
    {
        var command = new Command("run", "Run episodes with the scripted expert and print per-episode return, success and length.");
        command.Arguments.Add(Environment);
        foreach (var option in new Option[] { Expert, Episodes, Seed, Tasks, Noise, Failures, FailureKinds, Workers, Json })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            if (!parse.GetValue(Expert))
                throw new CommandLineException("sim run needs --expert (the scripted expert is the agent this command runs).");
            var registration = SimArguments.Registration(parse.GetValue(Environment)!);
            int taskCount;
            using (var probe = registration.Create())
                taskCount = probe.Spec.Tasks.Count;
            var request = new RolloutRequest(registration.Id,
                SimArguments.Positive(parse.GetValue(Episodes), "--episodes"),
                parse.GetValue(Seed),
                SimArguments.Tasks(parse.GetValue(Tasks), taskCount),
                SimArguments.NonNegative(parse.GetValue(Noise), "--noise"),
                SimArguments.Fraction(parse.GetValue(Failures), "--failures"),
                SimArguments.List(parse.GetValue(FailureKinds)),
                parse.GetValue(Workers),
                RecordSteps: false);
            IReadOnlyList<EpisodeRecord> episodes;
            try
            {
                episodes = parse.GetValue(Json)
                    ? await RolloutRunner.RunAsync(request, null, context.CancellationToken)
                    : await context.WithProgressAsync($"sim run {registration.Id}", progress => RolloutRunner.RunAsync(request, progress, context.CancellationToken));
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }

            if (parse.GetValue(Json))
            {
                foreach (var e in episodes)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new
                    {
                        episode = e.Index, seed = e.Seed, task = e.TaskIndex, instruction = e.Instruction, @return = e.Return,
                        success = e.Success, length = e.Length, failure = e.FailureKind, warnings = e.WarningCount,
                    }));
                }
            }
            else
            {
                var table = new Table().AddColumns("episode", "task", "return", "success", "length", "failure", "warnings");
                foreach (var e in episodes)
                {
                    table.AddRow(e.Index.ToString(), Markup.Escape($"{e.TaskIndex}: {e.Instruction}"), e.Return.ToString("0.###"),
                        e.Success ? "[green]yes[/]" : "[red]no[/]", e.Length.ToString(), Markup.Escape(e.FailureKind), e.WarningCount.ToString());
                }

                context.Console.Write(table);
                context.Console.MarkupLineInterpolated(
                    $"{registration.Id}: success {episodes.Count(e => e.Success)}/{episodes.Count} ({100.0 * episodes.Count(e => e.Success) / episodes.Count:0.#}%), mean return {episodes.Average(e => e.Return):0.###}, mean length {episodes.Average(e => e.Length):0.#}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
