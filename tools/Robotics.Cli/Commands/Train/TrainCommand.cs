using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Robotics.Cli.Hosting;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Data;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using Robotics.Policies.Training;
using Robotics.Policies.Training.Distributed;
using Robotics.Distributed;
using Robotics.Torch;
using Spectre.Console;

namespace Robotics.Cli.Commands.Train;

/// <summary>
/// <c>robotics train --preset NAME --data PATH...</c>: trains a registered policy on corpora in any format the datasets
/// library reads (D4RL, Minari, robomimic, LeRobot), through its window sampler (HDF5 streams from disk). Launched by
/// an MPI launcher (<c>mpirun -np R robotics train ...</c>, Slurm's srun, the Kubernetes MPI Operator) it trains
/// data-parallel: the global batch splits over the ranks, gradients are averaged each step, rank 0 writes checkpoints.
/// </summary>
public static class TrainCommand
{
    private static readonly Option<string> Preset = new("--preset") { Description = "Preset name (see --list-presets) or a preset JSON file.", Required = false };
    private static readonly Option<string[]> Data = new("--data") { Description = "Corpora: D4RL / robomimic .hdf5 files, Minari or LeRobot folders, or folders of .hdf5 files; PATH@WEIGHT sets a corpus's sampling weight (a folder of files shares it). A corpus without actions is action-free: it trains the world-model side only. PATH.stats.json (robotics dataset stats PATH --out PATH.stats.json), when present, replaces the statistics pass.", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> Format = new("--format") { Description = "Format of every --data corpus: auto (default, detected per corpus) or one of lerobot, minari, robomimic, d4rl." };
    private static readonly Option<string?> Output = new("--out", "-o") { Description = "Run folder for checkpoints (default runs/PRESET)." };
    private static readonly Option<int?> Steps = new("--steps") { Description = "Training steps (overrides the preset)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Batch size (overrides the preset)." };
    private static readonly Option<long?> Seed = new("--seed") { Description = "Seed of sampling, noise and initial weights (overrides the preset)." };
    private static readonly Option<string?> Device = new("--device") { Description = "auto | cpu | cuda[:N] (Torch:Device)." };
    private static readonly Option<string?> Resume = new("--resume") { Description = "Continue from this checkpoint folder (same data and seed give the uninterrupted result)." };
    private static readonly Option<string?> Init = new("--init") { Description = "Fine-tune: start from this checkpoint's weights and architecture (matching tensors loaded, changed heads re-initialised, fresh optimiser; provenance.json records it)." };
    private static readonly Option<bool> FreezeTrunk = new("--freeze-trunk") { Description = "With --init: train only the heads (state/action projections, task ids, observation prediction)." };
    private static readonly Option<string[]> Freeze = new("--freeze") { Description = "With --init: freeze parameters whose names start with this prefix (repeatable).", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<bool> IncludeFailures = new("--include-failures") { Description = "Also imitate episodes labelled unsuccessful (infos/success)." };
    private static readonly Option<bool> ListPresets = new("--list-presets") { Description = "List the presets and exit." };

    public static Command Create()
    {
        var command = new Command("train", "Train a policy (MoDE, dense transformer, MLP-BC) from a preset on one or more corpora.");
        foreach (var option in new Option[] { Preset, Data, Format, Output, Steps, BatchSize, Seed, Device, Resume, Init, FreezeTrunk, Freeze, IncludeFailures, ListPresets })
            command.Options.Add(option);
        command.SetHandler(RunAsync, parse => new Dictionary<string, string?> { ["Torch:Device"] = parse.GetValue(Device) });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext ctx, ParseResult parse)
    {
        if (parse.GetValue(ListPresets))
        {
            var table = new Table().AddColumns("preset", "type", "environment", "description");
            foreach (var name in PolicyPreset.Names())
            {
                var p = PolicyPreset.Load(name);
                table.AddRow(Markup.Escape(name), Markup.Escape(p.Policy.Type), Markup.Escape(p.Environment ?? "-"), Markup.Escape(p.Description));
            }

            ctx.Console.Write(table);
            return ExitCodes.Success;
        }

        string presetName = parse.GetValue(Preset) ?? throw new CommandLineException("--preset is required (see --list-presets).");
        var data = parse.GetValue(Data) ?? [];
        if (data.Length == 0)
            throw new CommandLineException("--data needs at least one dataset file.");
        var preset = PolicyPreset.Load(presetName);
        // Any preset value can be overridden from configuration: --set Policy:Width=64 --set Training:Steps=500.
        ctx.Configuration.GetSection("Policy").Bind(preset.Policy);
        if (PolicyRegistry.TryGet(preset.Policy.Type, out var policyType)) // e.g. --set Policy:Mode:Layers=2 binds the type's own section
            ctx.Configuration.GetSection("Policy").GetSection(policyType.OptionsSection).Bind(policyType.Options(preset.Policy));
        ctx.Configuration.GetSection(TrainingOptions.SectionName).Bind(preset.Training);
        var options = preset.Training;
        if (parse.GetValue(Steps) is int steps) options.Steps = steps;
        if (parse.GetValue(BatchSize) is int batch) options.BatchSize = batch;
        if (parse.GetValue(Seed) is long seed) options.Seed = seed;
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
            throw new CommandLineException(string.Join(" ", errors));

        string? init = parse.GetValue(Init);
        string? resume = parse.GetValue(Resume);
        if (init is not null && resume is not null)
            throw new CommandLineException("--init starts a new run from pretrained weights, --resume continues a run: pass one of them.");
        if (init is null && (parse.GetValue(FreezeTrunk) || (parse.GetValue(Freeze)?.Length ?? 0) > 0))
            throw new CommandLineException("--freeze-trunk and --freeze need --init CHECKPOINT.");
        if (init is not null && !File.Exists(Path.Combine(init, PolicyCheckpoint.ConfigFile)))
            throw new CommandLineException($"--init {init}: not a policy checkpoint folder (config.json missing).");

        // Fine-tuning keeps the pretrained type and architecture (windows are cut for its horizon and history); the
        // preset still gives the training options, environment and goal key.
        if (init is not null)
            preset.Policy = FineTuning.Architecture(init);
        var requests = data.Select(d => ParseData(d)).SelectMany(Expand).ToArray();
        var corpora = new List<TrainingCorpus>();
        bool handedOver = false; // from here on the plan owns the sources, and disposes them itself if it fails
        TrainingPlan plan;
        try
        {
            foreach (var (path, weight) in requests)
                corpora.Add(TrainingCorpus.Open(path, weight, parse.GetValue(Format), ctx.CancellationToken));
            handedOver = true;
            // Every rank builds the same plan; only the first draws its progress (the others' would interleave with it).
            TrainingPlan Build(IProgress<Robotics.Core.Progress.ProgressUpdate>? progress) =>
                TrainingPlan.Build(preset, corpora, options, parse.GetValue(IncludeFailures), progress, ctx.CancellationToken);
            plan = MpiLaunch.AnnouncedRank() is null or 0
                ? await ctx.WithProgressAsync("statistics", progress => Task.Run(() => Build(progress), ctx.CancellationToken)).ConfigureAwait(false)
                : await Task.Run(() => Build(null), ctx.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or KeyNotFoundException or ArgumentException)
        {
            if (!handedOver)
            {
                foreach (var c in corpora)
                    c.Source.Dispose();
            }

            throw new CommandLineException(e.Message);
        }

        using var ownedPlan = plan;
        var actionFree = plan.ActionFree;
        string output = parse.GetValue(Output) ?? Path.Combine("runs", preset.Name);
        ctx.Console.MarkupLineInterpolated($"[bold]{preset.Name}[/]: {plan.Config.Type}, state {plan.Config.StateDim}, action {plan.Config.ActionDim}, {plan.Config.Tasks.Count} task(s), {plan.TrainEpisodes} train / {plan.ValidationEpisodes} validation episodes -> {output}");

        var (_, dev) = ctx.StartTorch();
        PolicyTrainer trainer;
        if (resume is not null)
        {
            trainer = PolicyTrainer.Resume(resume, dev, o => o.Steps = options.Steps);
        }
        else if (init is not null)
        {
            TorchRuntime.Seed(options.Seed);
            var network = PolicyRegistry.Create(plan.Config);
            // The pretrained weights were learned in the pretrained normaliser's units: keep it when the spaces agree.
            var pretrainedConfig = PolicyCheckpoint.LoadConfig(init);
            bool sameSpaces = pretrainedConfig.StateDim == plan.Config.StateDim && pretrainedConfig.ActionDim == plan.Config.ActionDim;
            var stats = sameSpaces ? NormalizationStats.Load(Path.Combine(init, PolicyCheckpoint.StatsFile)) : plan.Stats;
            Provenance provenance;
            try
            {
                provenance = FineTuning.Initialize(network, init, parse.GetValue(FreezeTrunk), parse.GetValue(Freeze) ?? [], sameSpaces ? "pretrained" : "data");
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException)
            {
                throw new CommandLineException(e.Message);
            }

            ctx.Console.MarkupLineInterpolated($"--init {init}: {provenance.Loaded.Count} tensors loaded, {provenance.Reinitialized.Count} re-initialised, {provenance.Frozen.Count} frozen, {provenance.Unused.Count} unused; normaliser from the {provenance.Stats}");
            trainer = new PolicyTrainer(network, new PolicyProcessor(plan.Config, stats), options, dev, provenance);
        }
        else
        {
            TorchRuntime.Seed(options.Seed);
            var network = PolicyRegistry.Create(plan.Config);
            trainer = new PolicyTrainer(network, new PolicyProcessor(plan.Config, plan.Stats), options, dev);
        }

        using var mpi = MpiLaunch.IsLaunched ? MpiCommunicator.Initialize() : null;
        using (trainer)
        {
            if (mpi is { Size: > 1 })
            {
                try
                {
                    trainer.Reducer = new MpiGradientReducer(mpi);
                }
                catch (ArgumentException e)
                {
                    throw new CommandLineException(e.Message);
                }
            }

            bool root = trainer.IsRoot;
            if (actionFree.Count > 0 && !trainer.Network.LearnsFromActionFreeData)
                throw new CommandLineException($"{string.Join(", ", actionFree)}: no actions, and a '{plan.Config.Type}' policy without a world-model head learns nothing from states alone (use a preset with the world-model head, e.g. tabletop-mode-wm).");
            long parameters = trainer.Network.parameters().Sum(p => p.numel());
            if (root)
            {
                string parallel = mpi is { Size: > 1 } ? $"; data-parallel over {mpi.Size} ranks, {options.BatchSize / mpi.Size} samples each" : "";
                ctx.Console.MarkupLineInterpolated($"{parameters:N0} parameters on {dev}; starting at step {trainer.Step} of {options.Steps}{parallel}");
            }

            // Only rank 0 draws progress and tables: the other ranks' output would interleave with it.
            var result = root
                ? await ctx.WithProgressAsync($"train {preset.Name}", progress =>
                    Task.Run(() => trainer.Run(plan.Train, plan.Validation, output, progress, ctx.CancellationToken), ctx.CancellationToken)).ConfigureAwait(false)
                : await Task.Run(() => trainer.Run(plan.Train, plan.Validation, output, null, ctx.CancellationToken), ctx.CancellationToken).ConfigureAwait(false);
            if (!root)
                return ExitCodes.Success;
            if (trainer.Reducer is { } reducer)
            {
                var (seconds, calls) = reducer.Time;
                ctx.Console.MarkupLineInterpolated($"all-reduce: {1000 * seconds / Math.Max(1, calls):0.00} ms per step over {calls} steps ({reducer.Size} ranks)");
            }

            var table = new Table().AddColumns("steps", "final loss", "validation loss", "samples/s", "checkpoint");
            table.AddRow(result.Steps.ToString(CultureInfo.InvariantCulture), result.FinalLoss.ToString("0.0000", CultureInfo.InvariantCulture),
                result.ValidationLoss?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-", result.SamplesPerSecond.ToString("0", CultureInfo.InvariantCulture),
                Markup.Escape(result.FinalCheckpoint ?? "-"));
            ctx.Console.Write(table);
            if (result.RecoveredScalarFaults > 0)
                ctx.Console.MarkupLineInterpolated($"recomputed {result.RecoveredScalarFaults} forward/backward pass(es) after TorchSharp freed one of its Scalars under libtorch (exact; see policies/README.md)");
        }

        return ExitCodes.Success;
    }

    /// <summary>A folder that is not a dataset itself (Minari, LeRobot) stands for the .hdf5 / .h5 files in it, sharing its weight equally.</summary>
    private static IEnumerable<(string Path, double Weight)> Expand((string Path, double Weight) data)
    {
        if (!Directory.Exists(data.Path) || Robotics.Datasets.Formats.DatasetFormats.Default.All.Any(f => f.Detect(data.Path)))
            return [data];
        var files = Directory.EnumerateFiles(data.Path).Where(f => f.EndsWith(".hdf5", StringComparison.Ordinal) || f.EndsWith(".h5", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new CommandLineException($"--data {data.Path}: the folder holds no .hdf5 or .h5 file.");
        return files.Select(f => (f, data.Weight / files.Length));
    }

    private static (string Path, double Weight) ParseData(string text)
    {
        int at = text.LastIndexOf('@');
        if (at > 0 && double.TryParse(text[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double w))
        {
            if (w <= 0)
                throw new CommandLineException($"--data {text}: the weight must be > 0.");
            return (text[..at], w);
        }

        return (text, 1.0);
    }
}
