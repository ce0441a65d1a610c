using System.CommandLine;
using Robotics.Cli.Hosting;
using Spectre.Console;
using Robotics.Core.Arrays;
using Robotics.Datasets.D4rl;
using Robotics.Datasets.Hdf5;
using Robotics.Datasets.Registry;
using Robotics.Datasets.Trajectories;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset qlearning IN OUT</c>: d4rl.qlearning_dataset written as a D4RL-style file
/// (observations, actions, next_observations, rewards, terminals).
/// </summary>
public static class DatasetQLearningCommand
{
    public static Command Create()
    {
        var input = DatasetArguments.Input();
        var output = new Argument<string>("output") { Description = "Output .hdf5 of transitions." };
        var format = DatasetArguments.Format();
        var terminateOnEnd = new Option<bool>("--terminate-on-end") { Description = "Keep final-timestep transitions (d4rl's terminate_on_end)." };
        var maxSteps = new Option<int?>("--max-episode-steps") { Description = "Episode limit, needed when the file has no timeouts." };
        var env = new Option<string?>("--env") { Description = "Registered dataset name (e.g. maze2d-umaze-v1) to take max_episode_steps from." };
        var command = new Command("qlearning", "Build (s, a, r, s', done) transitions exactly as d4rl.qlearning_dataset.");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(format);
        command.Options.Add(terminateOnEnd);
        command.Options.Add(maxSteps);
        command.Options.Add(env);
        command.SetHandler(async (context, parse) =>
        {
            string source = parse.GetValue(input)!;
            string target = parse.GetValue(output)!;
            int? limit = parse.GetValue(maxSteps);
            if (limit is null && parse.GetValue(env) is { } name)
            {
                if (!DatasetRegistry.Default.TryFind(name, out var entry))
                    throw new CommandLineException($"--env '{name}' is not a registered dataset (known: {string.Join(", ", DatasetRegistry.Default.Entries.Select(e => e.Pattern))}).");
                limit = entry.MaxEpisodeSteps;
            }

            var reader = DatasetArguments.Resolve(source, parse.GetValue(format));
            var count = await context.WithProgressAsync("qlearning", progress => Task.Run(() =>
            {
                var ct = context.CancellationToken;
                var dataset = reader.Name == "d4rl" ? D4rlHdf5Reader.Read(source, ct, progress) : reader.Read(source, ct);
                if (!dataset.HasColumn(D4rlKeys.Timeouts) && limit is null)
                    throw new CommandLineException($"{source} has no timeouts; pass --max-episode-steps or --env.");
                progress.Report(new("transitions", 0, 1));
                var q = QLearningDataset.Build(dataset, parse.GetValue(terminateOnEnd), limit);
                progress.Report(new("transitions", 1, 1));
                var columns = new Dictionary<string, NdArray>
                {
                    [D4rlKeys.Observations] = q.Observations,
                    [D4rlKeys.Actions] = q.Actions,
                    [D4rlKeys.NextObservations] = q.NextObservations,
                    [D4rlKeys.Rewards] = q.Rewards,
                    [D4rlKeys.Terminals] = q.Terminals,
                };
                progress.Report(new("write", 0, 1));
                D4rlHdf5Writer.Write(target, new FlatDataset(columns), cancellationToken: ct);
                progress.Report(new("write", 1, 1));
                return q.Count;
            }));
            context.Console.MarkupLineInterpolated($"wrote {target}: {count:N0} transitions");
            return ExitCodes.Success;
        });
        return command;
    }
}
