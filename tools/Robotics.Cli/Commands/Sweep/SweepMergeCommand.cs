using System.CommandLine;
using Robotics.Cli.Hosting;
using Robotics.Evaluation.Sweeps;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sweep;

/// <summary><c>robotics sweep merge SHARD... --out DIR</c>: one folder from the shard folders of a plan, in canonical order.</summary>
public static class SweepMergeCommand
{
    private static readonly Argument<string[]> Shards = new("shards") { Description = "Shard folders of one plan.", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<string> Out = new("--out") { Description = "Merged result folder.", Required = true };
    private static readonly Option<bool> Partial = new("--partial") { Description = "Merge even if some episodes are in no shard (no DONE marker then)." };
    private static readonly Option<bool> Overwrite = new("--overwrite") { Description = "Replace an earlier merge in --out (a retried merge job)." };

    public static Command Create()
    {
        var command = new Command("merge", "Join shard folders of one plan; the result equals an unsharded run, record for record.");
        command.Arguments.Add(Shards);
        command.Options.Add(Out);
        command.Options.Add(Partial);
        command.Options.Add(Overwrite);
        command.SetHandler((context, parse) =>
        {
            try
            {
                var (records, missing) = SweepMerge.Merge(parse.GetValue(Shards)!, parse.GetValue(Out)!, parse.GetValue(Partial), parse.GetValue(Overwrite));
                context.Console.MarkupLineInterpolated($"merged {records} episodes into {parse.GetValue(Out)}{(missing > 0 ? $" ({missing} missing)" : "")}");
                return Task.FromResult(ExitCodes.Success);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or InvalidOperationException)
            {
                throw new CommandLineException(e.Message);
            }
        });
        return command;
    }
}
