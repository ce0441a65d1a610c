using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Datasets.Registry;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Runtime;
using Robotics.Sims.Environments;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Eval;

/// <summary><c>robotics eval --checkpoint C --env E --episodes N</c>: closed-loop success rate, return and D4RL normalised score.</summary>
public static class EvalCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Checkpoint folder (config.json + model.safetensors + normalization.json)." };
    private static readonly Option<string?> Environment = new("--env") { Description = "Environment id (default: the one the policy was trained for)." };
    private static readonly Option<int> Episodes = new("--episodes") { Description = "Episodes (tasks are cycled).", DefaultValueFactory = _ => 50 };
    private static readonly Option<string?> Tasks = new("--tasks") { Description = "Environment task ids to cycle through, comma-separated, or 'all' (default: the tasks the policy was trained on)." };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the first episode's reset; episode i uses seed + i.", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int?> SamplingSteps = new("--sampling-steps") { Description = "Denoising steps for diffusion policies (default: the config's)." };
    private static readonly Option<int?> ExecutedSteps = new("--executed-steps") { Description = "Actions executed from each chunk before the policy is asked again (default: the config's; at most the horizon)." };
    private static readonly Option<double?> NoiseScale = new("--noise-scale") { Description = "Diffusion policies: scale of the sampler's initial noise in [0, 1] (default: the config's; 0 = deterministic)." };
    private static readonly Option<string?> Device = new("--device") { Description = "auto | cpu | cuda[:N] (Torch:Device)." };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the summary and every episode to this JSON file." };
    private static readonly Option<string?> Plot = new("--plot") { Description = "Also write a PNG of the success rate per task with 95% Wilson intervals." };

    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a policy checkpoint closed loop in a simulated environment.");
        foreach (var option in new Option[] { Checkpoint, Environment, Episodes, Tasks, Seed, SamplingSteps, ExecutedSteps, NoiseScale, Device, Json, Plot })
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
        var config = PolicyCheckpoint.LoadConfig(checkpoint);
        string envId = parse.GetValue(Environment) ?? config.Environment ?? throw new CommandLineException("--env is required (the checkpoint does not name its environment).");
        var registration = EnvironmentRegistry.Get(envId);
        var (_, device) = ctx.StartTorch();
        InferenceOverrides overrides = new(parse.GetValue(SamplingSteps), parse.GetValue(ExecutedSteps), parse.GetValue(NoiseScale));
        try
        {
            config = overrides.Apply(config);
        }
        catch (InvalidPolicyConfigException e)
        {
            throw new CommandLineException($"--sampling-steps / --executed-steps / --noise-scale: {e.Message}");
        }

        using var policy = TorchChunkPolicy.Load(checkpoint, device, parse.GetValue(Seed), overrides);
        var instructions = config.Tasks.Select(t => t.Instruction).ToArray();
        IReadOnlyList<int> tasks;
        using (var probe = registration.Create())
        {
            int expected = probe.Spec.Observation.Dimension + (config.GoalKey is null ? 0 : 2);
            if (expected != config.StateDim || probe.Spec.Action.Dimension != config.ActionDim)
                throw new CommandLineException($"The policy has state {config.StateDim} / action {config.ActionDim}; '{envId}' gives {expected} / {probe.Spec.Action.Dimension}.");
            tasks = parse.GetValue(Tasks) is string list
                ? Sim.SimArguments.Tasks(list, probe.Spec.Tasks.Count) ?? probe.Spec.Tasks.Select(t => t.Index).ToArray()
                : ClosedLoopEvaluator.PolicyTasks(probe.Spec.Tasks, instructions);
        }

        var evaluator = new ClosedLoopEvaluator(policy, registration.Create, instructions, config.GoalKey is not null);
        var outcomes = await ctx.WithProgressAsync($"eval {envId}", progress =>
            Task.Run(() => evaluator.Run(episodes, parse.GetValue(Seed), tasks, progress, ctx.CancellationToken), ctx.CancellationToken)).ConfigureAwait(false);
        Func<double, double>? normalize = DatasetRegistry.Default.TryFind(envId + "-v1", out var named) || DatasetRegistry.Default.TryFind(envId, out named)
            ? named.NormalizedScore
            : null;
        var summary = EvaluationSummary.From(outcomes, normalize);
        Render(ctx, envId, checkpoint, summary, outcomes);
        if (parse.GetValue(Plot) is string plot)
        {
            var perTask = outcomes.GroupBy(o => o.Task).OrderBy(g => g.Key).ToArray();
            var intervals = perTask.Select(g => EvaluationSummary.Wilson(g.Count(o => o.Success), g.Count())).ToArray();
            Robotics.Plots.Figure.RatesWithIntervals(plot, $"{envId}: {RunName(checkpoint)}, {summary.Episodes} episodes, success {summary.SuccessRate:P0} [{summary.SuccessLow:P0}, {summary.SuccessHigh:P0}]",
                perTask.Select(g => $"task {g.Key}").ToArray(),
                [("success", perTask.Select(g => g.Count(o => o.Success) / (double)g.Count()).ToArray(), intervals.Select(i => i.Low).ToArray(), intervals.Select(i => i.High).ToArray())]);
        }

        if (parse.GetValue(Json) is string json)
            AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new { environment = envId, checkpoint, summary, episodes = outcomes }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return ExitCodes.Success;
    }

    /// <summary>The checkpoint's run and folder name (e.g. "tabletop-mode/final") for titles.</summary>
    private static string RunName(string checkpoint)
    {
        var full = new DirectoryInfo(Path.GetFullPath(checkpoint));
        return full.Parent is null ? full.Name : $"{full.Parent.Name}/{full.Name}";
    }

    private static void Render(CommandContext ctx, string envId, string checkpoint, EvaluationSummary s, IReadOnlyList<EpisodeOutcome> outcomes)
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
        var perTask = outcomes.GroupBy(o => o.Task).OrderBy(g => g.Key).ToArray();
        if (perTask.Length > 1)
        {
            var tasks = new Table().AddColumns("task", "episodes", "success");
            foreach (var g in perTask)
                tasks.AddRow(g.Key.ToString(CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture), F(g.Count(o => o.Success) / (double)g.Count()));
            ctx.Console.Write(tasks);
        }
    }
}
