using System.CommandLine;
using System.Security.Cryptography;
using Robotics.Cli.Hosting;
using Robotics.Core.Shapes;
using Robotics.Datasets.Formats;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Labelling;
using Robotics.Policies.Mode;
using Spectre.Console;

namespace Robotics.Cli.Commands.Dataset;

/// <summary>
/// <c>robotics dataset label-actions IN OUT --checkpoint WM</c>: an action-free corpus with actions inferred by a
/// world-model policy's inverse dynamics (<see cref="InverseDynamicsLabeller"/>), written as D4RL (block by block),
/// with metadata/pseudo_labelled_actions naming the checkpoint so nobody mistakes the labels for recorded actions.
/// </summary>
public static class DatasetLabelActionsCommand
{
    public const string LabelledKey = "metadata/pseudo_labelled_actions";

    public static Command Create()
    {
        var input = DatasetArguments.Input();
        var output = new Argument<string>("output") { Description = "Output D4RL .hdf5 file." };
        var format = DatasetArguments.Format();
        var checkpoint = new Option<string>("--checkpoint") { Description = "A MoDE checkpoint trained with the world-model head (e.g. the tabletop-mode-wm preset).", Required = true };
        var batch = new Option<int>("--batch-size") { Description = "Chunks inferred per forward pass.", DefaultValueFactory = _ => 64 };
        var seed = new Option<long>("--seed") { Description = "Seed of the sampler's noise.", DefaultValueFactory = _ => 0 };
        var device = new Option<string?>("--device") { Description = "auto | cpu | cuda[:N] (Torch:Device)." };
        var command = new Command("label-actions", "Infer the actions of an action-free corpus with a world-model policy's inverse dynamics (pseudo-labels, recorded as such).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        foreach (var option in new Option[] { format, checkpoint, batch, seed, device })
            command.Options.Add(option);
        command.SetHandler(async (context, parse) =>
        {
            string source = parse.GetValue(input)!, target = parse.GetValue(output)!, folder = parse.GetValue(checkpoint)!;
            if (parse.GetValue(batch) < 1)
                throw new CommandLineException($"--batch-size {parse.GetValue(batch)} must be at least 1.");
            if (!File.Exists(Path.Combine(folder, PolicyCheckpoint.ConfigFile)))
                throw new CommandLineException($"--checkpoint {folder}: not a policy checkpoint folder (config.json missing).");
            var reader = DatasetArguments.Resolve(source, parse.GetValue(format));
            var (_, dev) = context.StartTorch();
            var (network, processor) = PolicyCheckpoint.Load(folder, dev);
            using var _ = network;
            if (network is not ModeNetwork { Options.WorldModel: true } mode)
                throw new CommandLineException($"--checkpoint {folder}: a '{network.Config.Type}' policy without the world-model head has no inverse dynamics (train one with a preset such as tabletop-mode-wm).");
            using var rows = reader.OpenSource(source, context.CancellationToken);
            if (rows.HasColumn(D4rlKeys.Actions))
                throw new CommandLineException($"{source} already records '{D4rlKeys.Actions}'; label-actions is for action-free corpora.");
            var labels = await context.WithProgressAsync($"label {source}", progress => Task.Run(() =>
            {
                try
                {
                    return new InverseDynamicsLabeller(mode, processor, dev).Label(rows, parse.GetValue(batch), parse.GetValue(seed), progress, context.CancellationToken);
                }
                catch (Exception e) when (e is InvalidDataException or ArgumentException)
                {
                    throw new CommandLineException(e.Message);
                }
            }, context.CancellationToken)).ConfigureAwait(false);

            string weights = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, PolicyCheckpoint.WeightsFile))));
            var provenance = MetadataValue.FromText($"inverse dynamics of {Path.GetFullPath(folder)} (model.safetensors sha256 {weights}), seed {parse.GetValue(seed)}");
            var labelled = new OverlaySource(rows, [OverlaySource.ArrayColumn(D4rlKeys.Actions, labels)], [KeyValuePair.Create(LabelledKey, provenance)]);
            var writer = DatasetFormats.Default.Get("d4rl");
            var missing = writer.RequiredColumns.Where(k => !labelled.HasColumn(k)).ToArray();
            if (missing.Length > 0)
                throw new CommandLineException($"{source} has no {string.Join(", ", missing.Select(k => $"'{k}'"))}, which a D4RL file requires; nothing was written.");
            writer.WriteSource(target, labelled, cancellationToken: context.CancellationToken);
            context.Console.MarkupLineInterpolated($"wrote {target}: {labelled.RowCount:N0} rows with actions ({labels.Shape[1]} per row) from {folder}'s inverse dynamics");
            return ExitCodes.Success;
        });
        return command;
    }
}
