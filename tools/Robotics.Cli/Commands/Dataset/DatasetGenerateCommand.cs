using System.CommandLine;
using System.Diagnostics;
using Robotics.Cli.Commands.Sim;
using Robotics.Cli.Hosting;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Trajectories;
using Robotics.Sims.Agents;
using Robotics.Sims.Generation;
using Robotics.Sims.Tabletop;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset generate ENV</c>: D4RL-style maze2d corpora (<c>--samples</c>, <c>--noisy</c>) or
/// tabletop-push episodes with success labels and task ids (<c>--episodes</c>, <c>--tasks</c>,
/// <c>--noise</c>, <c>--failures</c>), written through the Datasets library as D4RL HDF5.
/// </summary>
public static class DatasetGenerateCommand
{
    private static readonly Argument<string> Environment = new("environment") { Description = "maze2d-umaze | maze2d-medium | maze2d-large (and -dense) | tabletop-push." };
    private static readonly Option<string?> Output = new("--out", "-o") { Description = "Output HDF5 file (default: ENV[-noisy].hdf5 in the current folder)." };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the whole corpus.", DefaultValueFactory = _ => 0 };
    private static readonly Option<long> Samples = new("--samples") { Description = "maze2d: transitions in the continuous trajectory.", DefaultValueFactory = _ => 1_000_000 };
    private static readonly Option<int> Hold = new("--hold-steps") { Description = "maze2d: steps the expert stays at a reached target before the next is drawn (D4RL: 0).", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Noisy = new("--noisy") { Description = "maze2d: add N(0, 1) x 0.5 to the expert's actions (D4RL's --noisy)." };
    private static readonly Option<int> Episodes = new("--episodes") { Description = "tabletop-push: number of episodes.", DefaultValueFactory = _ => 100 };
    private static readonly Option<string?> Tasks = new("--tasks") { Description = "tabletop-push: comma-separated task ids to cycle through, or 'all' (default)." };
    private static readonly Option<double> Noise = new("--noise") { Description = "tabletop-push: std of Gaussian action noise.", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<double> Failures = new("--failures") { Description = "tabletop-push: fraction of episodes with an injected fault.", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<string?> FailureKinds = new("--failure-kinds") { Description = "tabletop-push: shove, weak-actuator, stuck-actuator, wrong-target (default: all)." };
    private static readonly Option<string> Style = new("--style") { Description = "Demonstrations: scripted (one deterministic strategy) or multimodal (human-like: a strategy drawn per episode, recorded under infos/demo_*).", DefaultValueFactory = _ => "scripted" };
    private static readonly Option<int> Workers = new("--workers") { Description = "tabletop-push: worker threads (0: one per core).", DefaultValueFactory = _ => 0 };

    public static Command Create()
    {
        var command = new Command("generate", "Generate a dataset from a simulation with its scripted expert (D4RL HDF5).");
        command.Arguments.Add(Environment);
        foreach (var option in new Option[] { Output, Seed, Samples, Noisy, Hold, Episodes, Tasks, Noise, Failures, FailureKinds, Workers, Style })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            var registration = SimArguments.Registration(parse.GetValue(Environment)!);
            bool maze = registration.Id.StartsWith("maze2d-", StringComparison.Ordinal);
            Reject(parse, maze ? [Episodes, Tasks, Noise, Failures, FailureKinds, Workers] : [Samples, Noisy, Hold], registration.Id);
            string path = parse.GetValue(Output) ?? $"{registration.Id}{(parse.GetValue(Noisy) ? "-noisy" : "")}.hdf5";
            var clock = Stopwatch.StartNew();
            FlatDataset dataset;
            try
            {
                dataset = maze
                    ? await context.WithProgressAsync($"generate {registration.Id}", progress => Task.Run(() =>
                        Maze2dDatasetGenerator.Generate(new Maze2dGenerationOptions(registration.Id, parse.GetValue(Samples), parse.GetValue(Noisy), parse.GetValue(Seed), Style: ParseStyle(parse.GetValue(Style)!), HoldSteps: parse.GetValue(Hold)), progress, context.CancellationToken)))
                    : await context.WithProgressAsync($"generate {registration.Id}", progress =>
                        TabletopDatasetGenerator.GenerateAsync(TabletopOptions(parse), progress, context.CancellationToken));
            }
            catch (ArgumentException e)
            {
                throw new CommandLineException(e.Message);
            }

            var simulated = clock.Elapsed;
            D4rlHdf5Writer.Write(path, dataset, cancellationToken: context.CancellationToken);
            var episodes = dataset.Episodes();
            string labels = "";
            if (dataset.HasColumn(D4rlKeys.Success))
            {
                var success = dataset.Flags(D4rlKeys.Success);
                labels = $", {episodes.Count(e => success[e.End - 1])} successful";
            }
            else if (dataset.HasColumn(Maze2dDatasetGenerator.GoalReachedKey))
            {
                // maze2d is one continuous trajectory: boundaries are the time limit only (see metadata/generator_fixes).
                labels = $" (one continuous trajectory: {dataset.Flags(Maze2dDatasetGenerator.GoalReachedKey).Count(f => f)} targets reached, {dataset.Flags(D4rlKeys.Timeouts).Count(f => f) - 1} timed out)";
            }

            context.Console.MarkupLineInterpolated(
                $"wrote {path}: {dataset.RowCount} rows, {episodes.Count} episodes{labels}; simulated in {simulated.TotalSeconds:0.0} s, written in {(clock.Elapsed - simulated).TotalSeconds:0.0} s");
            return ExitCodes.Success;
        });
        return command;
    }

    private static TabletopGenerationOptions TabletopOptions(ParseResult parse) => new(
        SimArguments.Positive(parse.GetValue(Episodes), "--episodes"),
        SimArguments.Tasks(parse.GetValue(Tasks), TabletopScene.TaskCount),
        SimArguments.NonNegative(parse.GetValue(Noise), "--noise"),
        SimArguments.Fraction(parse.GetValue(Failures), "--failures"),
        SimArguments.List(parse.GetValue(FailureKinds)),
        parse.GetValue(Seed),
        parse.GetValue(Workers),
        ParseStyle(parse.GetValue(Style)!));

    internal static DemoStyle ParseStyle(string style) => style.ToLowerInvariant() switch
    {
        "scripted" => DemoStyle.Scripted,
        "multimodal" => DemoStyle.Multimodal,
        _ => throw new CommandLineException($"--style must be scripted or multimodal (got '{style}')."),
    };

    private static void Reject(ParseResult parse, Option[] options, string environment)
    {
        foreach (var option in options)
        {
            if (parse.GetResult(option) is { Implicit: false })
                throw new CommandLineException($"{option.Name} does not apply to {environment}.");
        }
    }
}
