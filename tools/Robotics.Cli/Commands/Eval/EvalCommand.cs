using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Commands.Sweep;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Policies;
using Robotics.Evaluation.Reports;
using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;
using Robotics.Policies.Checkpoints;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Eval;

/// <summary>
/// <c>robotics eval --checkpoint C --env E --episodes N</c>: one policy, one environment, the nominal condition: a
/// one-cell-per-task sweep (same evaluator, seeding and store as <c>robotics sweep run</c>), summarised as success
/// rate, return and D4RL normalised score with intervals.
/// </summary>
public static class EvalCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Checkpoint folder (config.json + model.safetensors + normalization.json)." };
    private static readonly Option<string?> Environment = new("--env") { Description = "Environment id (default: the one the policy was trained for)." };
    private static readonly Option<int> Episodes = new("--episodes") { Description = "Episodes in all, spread evenly over the tasks (rounded up to a multiple of the task count; fewer than the tasks: the first tasks, one each).", DefaultValueFactory = _ => 50 };
    private static readonly Option<string?> Tasks = new("--tasks") { Description = "Environment task ids, comma-separated, or 'all' (default: the tasks the policy was trained on)." };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the evaluation (episode seeds derive from it, as in a sweep).", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int?> SamplingSteps = new("--sampling-steps") { Description = "Denoising steps for diffusion policies (default: the config's)." };
    private static readonly Option<int?> ExecutedSteps = new("--executed-steps") { Description = "Actions executed from each chunk before the policy is asked again (default: the config's; at most the horizon)." };
    private static readonly Option<double?> NoiseScale = new("--noise-scale") { Description = "Diffusion policies: scale of the sampler's initial noise in [0, 1] (default: the config's; 0 = deterministic)." };
    private static readonly Option<string?> Device = new("--device") { Description = "auto | cpu | cuda[:N] (Torch:Device)." };
    private static readonly Option<int> Workers = new("--workers") { Description = "Worker threads (0: one per core).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Out = new("--out") { Description = "Keep the sweep folder here (default: a temporary folder, removed)." };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the summary and every episode to this JSON file." };
    private static readonly Option<string?> Plot = new("--plot") { Description = "Also write a PNG of the success rate per task with 95% Wilson intervals." };

    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a policy checkpoint closed loop in a simulated environment (a one-policy sweep).");
        foreach (var option in new Option[] { Checkpoint, Environment, Episodes, Tasks, Seed, SamplingSteps, ExecutedSteps, NoiseScale, Device, Workers, Out, Json, Plot })
            command.Options.Add(option);
        command.SetHandler(RunAsync, parse => new Dictionary<string, string?> { ["Torch:Device"] = parse.GetValue(Device) });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext ctx, ParseResult parse)
    {
        string checkpoint = parse.GetValue(Checkpoint) ?? throw new CommandLineException("--checkpoint is required.");
        int episodes = parse.GetValue(Episodes);
        if (episodes < 1)
            throw new CommandLineException("--episodes must be >= 1.");
        if (!File.Exists(Path.Combine(checkpoint, "config.json")))
            throw new CommandLineException($"--checkpoint {checkpoint} is not a checkpoint folder (config.json missing).");
        var config = PolicyCheckpoint.LoadConfig(checkpoint);
        string envId = parse.GetValue(Environment) ?? config.Environment ?? throw new CommandLineException("--env is required (the checkpoint does not name its environment).");
        if (!EnvironmentRegistry.TryGet(envId, out var registration))
            throw new CommandLineException($"--env '{envId}' is not a registered environment.");
        IReadOnlyList<int> tasks;
        using (var probe = registration.Create())
        {
            var known = probe.Spec.Tasks.Where(t => config.Tasks.Any(c => c.Instruction == t.Instruction)).Select(t => t.Index).ToArray();
            tasks = parse.GetValue(Tasks) is string list
                ? Sim.SimArguments.Tasks(list, probe.Spec.Tasks.Count) ?? probe.Spec.Tasks.Select(t => t.Index).ToArray()
                : known.Length > 0 ? known : probe.Spec.Tasks.Select(t => t.Index).ToArray();
            if (tasks.Count == 0)
                tasks = [0];
        }

        var policy = new PolicySpec(RunName(checkpoint), "checkpoint", Path.GetFullPath(checkpoint), SamplingSteps: parse.GetValue(SamplingSteps),
            ExecutedSteps: parse.GetValue(ExecutedSteps), NoiseScale: parse.GetValue(NoiseScale));
        if (PolicyFactory.Problem(policy, registration) is { } problem)
            throw new CommandLineException(problem);
        // Fewer episodes than tasks: the first tasks, one each; otherwise the same number for every task.
        if (episodes < tasks.Count)
            tasks = tasks.Take(episodes).ToArray();
        int perTask = (episodes + tasks.Count - 1) / tasks.Count;
        string device = SweepRunCommand.StartTorch(ctx, parse.GetValue(Workers));
        var plan = new SweepPlan("eval", parse.GetValue(Seed), perTask, [policy], [new EnvironmentPlan(envId, tasks)], [EvaluationCondition.Nominal],
            Device: device);
        string folder = parse.GetValue(Out) ?? Directory.CreateTempSubdirectory("robotics-eval-").FullName;
        try
        {
            try
            {
                await ctx.WithProgressAsync($"eval {envId}", progress => SweepRunner.RunAsync(plan, folder,
                    new SweepRunOptions(parse.GetValue(Workers)), progress, ctx.CancellationToken)).ConfigureAwait(false);
            }
            catch (Robotics.Policies.Configuration.InvalidPolicyConfigException e)
            {
                throw new CommandLineException($"--sampling-steps / --executed-steps / --noise-scale: {e.Message}");
            }

            // Tasks interleaved (t0, t1, t2, t0, ...), as the episodes of an evaluation are usually listed.
            var records = ResultStore.Read(folder).OrderBy(r => r.Episode).ThenBy(r => tasks.ToList().IndexOf(r.Task)).ToArray();
            var results = records.Select(r => r.Result).ToArray();
            var summary = EvaluationSummary.From(results);
            Render(ctx, envId, checkpoint, summary, records, perTask * tasks.Count != episodes ? perTask * tasks.Count : null);
            if (parse.GetValue(Plot) is string plot)
            {
                var perTaskGroups = records.GroupBy(r => r.Task).OrderBy(g => g.Key).ToArray();
                var intervals = perTaskGroups.Select(g => Robotics.Statistics.Proportion.Wilson(g.Count(r => r.Result.Success), g.Count())).ToArray();
                Robotics.Plots.Figure.RatesWithIntervals(plot, $"{envId}: {RunName(checkpoint)}, {summary.Episodes} episodes, success {summary.SuccessRate:P0} [{summary.SuccessLow:P0}, {summary.SuccessHigh:P0}]",
                    perTaskGroups.Select(g => $"task {g.Key}").ToArray(),
                    [("success", perTaskGroups.Select(g => g.Count(r => r.Result.Success) / (double)g.Count()).ToArray(), intervals.Select(i => i.Low).ToArray(), intervals.Select(i => i.High).ToArray())]);
            }

            if (parse.GetValue(Json) is string json)
            {
                AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new { environment = envId, checkpoint, summary, episodes = results },
                    new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
        }
        finally
        {
            if (parse.GetValue(Out) is null)
                Directory.Delete(folder, recursive: true);
        }

        return ExitCodes.Success;
    }

    /// <summary>The checkpoint's run and folder name (e.g. "tabletop-mode/final") for titles.</summary>
    private static string RunName(string checkpoint)
    {
        var full = new DirectoryInfo(Path.GetFullPath(checkpoint));
        return full.Parent is null ? full.Name : $"{full.Parent.Name}/{full.Name}";
    }

    private static void Render(CommandContext ctx, string envId, string checkpoint, EvaluationSummary s, IReadOnlyList<SweepRecord> records, int? roundedTo)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("environment", "episodes", "success (95% CI)", "return (95% CI)", "normalised score (95% CI)", "ms / chunk");
        table.AddRow(Markup.Escape(envId), s.Episodes.ToString(CultureInfo.InvariantCulture),
            Markup.Escape($"{F(s.SuccessRate)} [{F(s.SuccessLow)}, {F(s.SuccessHigh)}]"),
            $"{F(s.MeanReturn)} ± {F(s.ReturnHalfWidth)}",
            s.NormalizedScore is double ns ? $"{ns:0.0} ± {s.NormalizedHalfWidth:0.0}" : "-",
            s.MeanInferenceMs.ToString("0.0", CultureInfo.InvariantCulture));
        ctx.Console.MarkupLineInterpolated($"[bold]{checkpoint}[/]");
        ctx.Console.Write(table);
        if (roundedTo is int n)
            ctx.Console.MarkupLineInterpolated($"(episodes rounded up to {n}: the same number for every task)");
        var perTask = records.GroupBy(o => o.Task).OrderBy(g => g.Key).ToArray();
        if (perTask.Length > 1)
        {
            var tasks = new Table().AddColumns("task", "episodes", "success");
            foreach (var g in perTask)
                tasks.AddRow(g.Key.ToString(CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture), F(g.Count(o => o.Result.Success) / (double)g.Count()));
            ctx.Console.Write(tasks);
        }
    }
}
