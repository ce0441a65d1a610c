using System.CommandLine;
using System.Globalization;
using Robotics.Cli.Hosting;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Sweep;

/// <summary>
/// <c>robotics sweep run PLAN --out DIR</c>: runs a plan (or one shard) on all cores into a resumable folder.
/// In a Kubernetes Indexed Job, <c>--shards N</c> takes the shard index from JOB_COMPLETION_INDEX.
/// </summary>
public static class SweepRunCommand
{
    private static readonly Argument<string> Plan = new("plan") { Description = "Sweep plan (JSON)." };
    private static readonly Option<string> Out = new("--out") { Description = "Result folder (plan.json, results.jsonl, DONE).", Required = true };
    private static readonly Option<int> Workers = new("--workers") { Description = "Worker threads (0: one per core).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Shard = new("--shard") { Description = "Run only shard i/n of the plan's episodes (e.g. 0/4)." };
    private static readonly Option<int?> Shards = new("--shards") { Description = "Shard count; the index comes from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)." };
    private static readonly Option<bool> Resume = new("--resume") { Description = "Continue a folder left by a killed or cancelled run: finished episodes are skipped." };

    public static Command Create()
    {
        var command = new Command("run", "Run a sweep plan (or one shard of it); results are appended crash-safely, so --resume continues after a kill.");
        command.Arguments.Add(Plan);
        foreach (var option in new Option[] { Out, Workers, Shard, Shards, Resume })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            SweepPlan plan;
            try
            {
                plan = SweepPlanLoader.Load(parse.GetValue(Plan)!);
            }
            catch (SweepPlanException e)
            {
                throw new CommandLineException(e.Message);
            }

            var shard = ResolveShard(parse.GetValue(Shard), parse.GetValue(Shards));
            int workers = parse.GetValue(Workers);
            if (workers < 0)
                throw new CommandLineException("--workers must be >= 0.");
            if (plan.Policies.Any(p => p.Kind == "checkpoint"))
                StartTorch(context, workers);
            string output = parse.GetValue(Out)!;
            SweepRunSummary summary;
            try
            {
                summary = await context.WithProgressAsync($"sweep {plan.Name} (shard {shard})",
                    progress => SweepRunner.RunAsync(plan, output, new SweepRunOptions(workers, shard, parse.GetValue(Resume)), progress, context.CancellationToken));
            }
            catch (InvalidOperationException e) when (e.Message.Contains("--resume", StringComparison.Ordinal) || e.Message.Contains("plan", StringComparison.Ordinal))
            {
                throw new CommandLineException(e.Message);
            }

            context.Console.MarkupLineInterpolated($"shard {shard}: {summary.ShardEpisodes} episodes ({summary.Skipped} already done, {summary.Ran} run now) in {summary.Elapsed.TotalSeconds:0.0} s; success {summary.Successes}/{summary.ShardEpisodes}");
            context.Console.MarkupLineInterpolated($"results: {Path.Combine(output, ResultStore.ResultsFile)}; next: robotics sweep report {output} --out REPORT");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--shard i/n, or --shards n with the index from JOB_COMPLETION_INDEX, or the whole plan.</summary>
    public static ShardSpec ResolveShard(string? shard, int? shards)
    {
        if (shard is not null && shards is not null)
            throw new CommandLineException("give --shard i/n or --shards n (index from JOB_COMPLETION_INDEX), not both.");
        if (shard is not null)
        {
            try
            {
                return ShardSpec.Parse(shard);
            }
            catch (FormatException e)
            {
                throw new CommandLineException($"--shard: {e.Message}");
            }
        }

        if (shards is not { } n)
            return ShardSpec.Whole;
        string? index = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX");
        if (n < 1 || index is null || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= n)
            throw new CommandLineException($"--shards {n} needs JOB_COMPLETION_INDEX in [0, {n - 1}] (set by a Kubernetes Indexed Job); it is '{index}'.");
        return new ShardSpec(i, n);
    }

    /// <summary>
    /// Several workers each running a network: one intra-op thread each unless Torch:Threads says otherwise.
    /// Returns the resolved Torch:Device.
    /// </summary>
    public static string StartTorch(CommandContext context, int workers)
    {
        var options = context.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName);
        int parallel = workers > 0 ? workers : Environment.ProcessorCount;
        if (options.Threads == 0 && parallel > 1)
            options = options with { Threads = 1 };
        TorchRuntime.Initialize(options);
        return TorchRuntime.ResolveDevice(options.Device).ToString();
    }
}
