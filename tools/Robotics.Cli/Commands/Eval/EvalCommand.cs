using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Robotics.Cli.Hosting;
using Robotics.Core.IO;
using Robotics.Datasets.Registry;
using Robotics.Policies.Checkpoints;
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
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the first episode's reset; episode i uses seed + i.", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int?> SamplingSteps = new("--sampling-steps") { Description = "Denoising steps for diffusion policies (default: the config's)." };
    private static readonly Option<int?> ExecutedSteps = new("--executed-steps") { Description = "Actions executed from each chunk before the policy is asked again (default: the config's; at most the horizon)." };
    private static readonly Option<double?> NoiseScale = new("--noise-scale") { Description = "Diffusion policies: scale of the sampler's initial noise in [0, 1] (default: the config's; 0 = deterministic)." };
    private static readonly Option<string> Device = new("--device") { Description = "auto | cpu | cuda[:N].", DefaultValueFactory = _ => "auto" };
    private static readonly Option<string?> Json = new("--json") { Description = "Also write the summary and every episode to this JSON file." };

    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a policy checkpoint closed loop in a simulated environment.");
        foreach (var option in new Option[] { Checkpoint, Environment, Episodes, Seed, SamplingSteps, ExecutedSteps, NoiseScale, Device, Json })
            command.Options.Add(option);
        command.SetHandler(RunAsync);
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
        TorchRuntime.Initialize(ctx.Bind<TorchRuntimeOptions>(TorchRuntimeOptions.SectionName));
        using var policy = TorchChunkPolicy.Load(checkpoint, parse.GetValue(Device) ?? "auto", seed: parse.GetValue(Seed));
        if (parse.GetValue(SamplingSteps) is int steps)
        {
            if (steps < 1) throw new CommandLineException("--sampling-steps must be >= 1.");
            policy.Network.Config.Mode.SamplingSteps = steps;
        }

        if (parse.GetValue(NoiseScale) is double scale)
        {
            if (scale is < 0 or > 1 || double.IsNaN(scale)) throw new CommandLineException($"--noise-scale must be in [0, 1]; got {scale}.");
            policy.Network.Config.Mode.InitialNoiseScale = scale;
        }

        if (parse.GetValue(ExecutedSteps) is int executed)
        {
            if (executed < 1 || executed > config.Horizon)
                throw new CommandLineException($"--executed-steps must be in 1..{config.Horizon} (the policy's horizon); got {executed}.");
            policy.Network.Config.ExecutedSteps = executed;
        }

        using (var probe = registration.Create())
        {
            int expected = probe.Spec.Observation.Dimension + (config.GoalKey is null ? 0 : 2);
            if (expected != config.StateDim || probe.Spec.Action.Dimension != config.ActionDim)
                throw new CommandLineException($"The policy has state {config.StateDim} / action {config.ActionDim}; '{envId}' gives {expected} / {probe.Spec.Action.Dimension}.");
        }

        var evaluator = new ClosedLoopEvaluator(policy, registration.Create, config.Tasks.Select(t => t.Instruction).ToArray(), config.GoalKey is not null);
        var outcomes = await ctx.WithProgressAsync($"eval {envId}", progress =>
            Task.Run(() => evaluator.Run(episodes, parse.GetValue(Seed), progress, ctx.CancellationToken), ctx.CancellationToken)).ConfigureAwait(false);
        Func<double, double>? normalize = DatasetRegistry.Default.TryFind(envId + "-v1", out var named) || DatasetRegistry.Default.TryFind(envId, out named)
            ? named.NormalizedScore
            : null;
        var summary = EvaluationSummary.From(outcomes, normalize);
        Render(ctx, envId, checkpoint, summary, outcomes);
        if (parse.GetValue(Json) is string json)
            AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new { environment = envId, checkpoint, summary, episodes = outcomes }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return ExitCodes.Success;
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
