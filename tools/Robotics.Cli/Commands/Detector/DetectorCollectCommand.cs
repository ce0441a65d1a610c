using System.CommandLine;
using Robotics.Cli.Commands.Sweep;
using Robotics.Cli.Hosting;
using Robotics.Detectors.Data;
using Robotics.Evaluation.Conditions;
using Robotics.Evaluation.Plans;
using Robotics.Evaluation.Policies;
using Robotics.Evaluation.Store;
using Robotics.Evaluation.Sweeps;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Runtime;
using Robotics.Sims.Environments;
using Spectre.Console;

namespace Robotics.Cli.Commands.Detector;

/// <summary>
/// <c>robotics detector collect --checkpoint DIR --episodes-per-task N [--failures F] --out FILE</c>: closed-loop
/// rollouts of a policy through the sweep runner with every call's features and chunk recorded, some with an injected
/// fault, written as a feature corpus (HDF5, see <see cref="FeatureCorpusFile"/>). The rollouts are kept in FILE.sweep
/// so a killed collection resumes with --resume.
/// </summary>
public static class DetectorCollectCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "Policy checkpoint folder.", Required = true };
    private static readonly Option<string?> Environment = new("--env") { Description = "Environment (default: the policy's)." };
    private static readonly Option<string> Tasks = new("--tasks") { Description = "'all' or comma-separated task ids (default: all).", DefaultValueFactory = _ => "all" };
    private static readonly Option<int> EpisodesPerTask = new("--episodes-per-task") { Description = "Rollouts per task.", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> Failures = new("--failures") { Description = "Fraction of rollouts with an injected fault (any of the environment's kinds).", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<int> SamplesPerCall = new("--samples-per-call") { Description = "Extra chunks sampled per call for the sampling-consistency baselines (K; 0: none).", DefaultValueFactory = _ => 0 };
    private static readonly Option<long> Seed = new("--seed") { Description = "Seed of the collection.", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Workers = new("--workers") { Description = "Worker threads (0: one per core).", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Resume = new("--resume") { Description = "Continue a killed collection (FILE.sweep)." };
    private static readonly Option<string> Out = new("--out") { Description = "Feature corpus file (.h5).", Required = true };

    public static Command Create()
    {
        var command = new Command("collect", "Roll a policy out (optionally with injected faults) and record every call's features: a feature corpus for detectors.");
        foreach (var option in new Option[] { Checkpoint, Environment, Tasks, EpisodesPerTask, Failures, SamplesPerCall, Seed, Workers, Resume, Out })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            string checkpoint = Path.GetFullPath(parse.GetValue(Checkpoint)!);
            if (!File.Exists(Path.Combine(checkpoint, "config.json")))
                throw new CommandLineException($"--checkpoint {checkpoint} is not a checkpoint folder (config.json missing).");
            var config = PolicyCheckpoint.LoadConfig(checkpoint);
            string envId = parse.GetValue(Environment) ?? config.Environment ?? throw new CommandLineException("--env is required (the checkpoint names no environment).");
            if (!EnvironmentRegistry.TryGet(envId, out var registration))
                throw new CommandLineException($"--env '{envId}' is not registered.");
            double failures = parse.GetValue(Failures);
            int perTask = parse.GetValue(EpisodesPerTask);
            if (failures is < 0 or > 1 || perTask < 1)
                throw new CommandLineException("--failures must be in [0, 1] and --episodes-per-task >= 1.");
            IReadOnlyList<int> tasks;
            using (var probe = registration.Create())
                tasks = Sim.SimArguments.Tasks(parse.GetValue(Tasks)!, probe.Spec.Tasks.Count) ?? Enumerable.Range(0, Math.Max(1, probe.Spec.Tasks.Count)).ToArray();
            var policy = new PolicySpec("policy", "checkpoint", checkpoint);
            if (PolicyFactory.Problem(policy, registration) is { } problem)
                throw new CommandLineException(problem);
            if (failures > 0 && registration.CreateFailureInjector is null)
                throw new CommandLineException($"--failures: '{envId}' has no failure injector.");
            var condition = failures > 0 ? new EvaluationCondition("collect", EvaluationCondition.AnyFault, failures) : EvaluationCondition.Nominal;
            string device = SweepRunCommand.StartTorch(context, parse.GetValue(Workers));
            var plan = new SweepPlan("detector-collect", parse.GetValue(Seed), perTask, [policy], [new EnvironmentPlan(envId, tasks)], [condition],
                RecordFeatures: true, Device: device, SamplesPerCall: Math.Max(0, parse.GetValue(SamplesPerCall)));
            string output = parse.GetValue(Out)!, folder = output + ".sweep";
            try
            {
                await context.WithProgressAsync($"collect {envId}", progress =>
                    SweepRunner.RunAsync(plan, folder, new SweepRunOptions(parse.GetValue(Workers), Resume: parse.GetValue(Resume)), progress, context.CancellationToken));
            }
            catch (InvalidOperationException e) when (e.Message.Contains("--resume", StringComparison.Ordinal) || e.Message.Contains("plan", StringComparison.Ordinal))
            {
                throw new CommandLineException(e.Message);
            }

            var rollouts = SweepFeatures.ToRollouts(ResultStore.Read(folder).OrderBy(r => r.Key, StringComparer.Ordinal));
            string layout;
            using (var loaded = TorchChunkPolicy.Load(checkpoint, Robotics.Torch.TorchRuntime.ResolveDevice(device)))
                layout = loaded.FeatureLayout;
            FeatureCorpusFile.Write(output, rollouts, new Dictionary<string, string>
            {
                ["policy"] = checkpoint,
                ["environment"] = envId,
                ["feature_layout"] = layout,
                ["created_by"] = $"robotics detector collect (seed {parse.GetValue(Seed)}, failures {failures}, {perTask} per task)",
            });
            int failed = rollouts.Count(r => !r.Success);
            context.Console.MarkupLineInterpolated($"wrote {output}: {rollouts.Count} rollouts ({failed} failed, {rollouts.Count(r => r.Fault is not null)} with a fault), {rollouts.Sum(r => r.Calls)} policy calls of {rollouts[0].Features[0].Length} features");
            if (failed == 0 || failed == rollouts.Count)
                context.Console.MarkupLine("[yellow]one class is empty: a detector needs both successful and failed rollouts (raise --failures or use a weaker policy)[/]");
            return ExitCodes.Success;
        });
        return command;
    }
}
