using System.Security.Cryptography;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Configuration;
using Robotics.Policies.Nn;
using static TorchSharp.torch;

namespace Robotics.Policies.Training;

/// <summary>
/// Starting a run from a pretrained checkpoint (`robotics train --init`): the new network keeps the pretrained
/// architecture, takes every pretrained tensor whose name and shape match, re-initialises the rest (heads whose
/// shapes changed with the new state, action or task spaces), optionally freezes the trunk or named parameters, and
/// records all of it as <see cref="Provenance"/>. The optimiser starts afresh (step 0, zero moments).
/// </summary>
public static class FineTuning
{
    /// <summary>
    /// The architecture to fine-tune with: the pretrained checkpoint's configuration (type, width, layers, horizon,
    /// history, options); the training plan then sets the new data's spaces and tasks on a copy of it.
    /// </summary>
    public static PolicyConfig Architecture(string checkpoint) => PolicyCheckpoint.LoadConfig(checkpoint).Clone();

    /// <summary>
    /// Loads the pretrained inference weights into <paramref name="network"/> where names and shapes match and freezes
    /// as asked: <paramref name="freezeTrunk"/> freezes every loaded parameter outside the network's
    /// <see cref="PolicyNetwork.HeadPrefixes"/>; <paramref name="freezePrefixes"/> freezes parameters by name prefix.
    /// Re-initialised parameters are never frozen. <paramref name="stats"/> says where the normaliser came from.
    /// </summary>
    public static Provenance Initialize(PolicyNetwork network, string checkpoint, bool freezeTrunk, IReadOnlyList<string> freezePrefixes, string stats)
    {
        string weights = Path.Combine(checkpoint, PolicyCheckpoint.WeightsFile);
        if (!File.Exists(weights))
            throw new FileNotFoundException($"--init {checkpoint}: {PolicyCheckpoint.WeightsFile} is missing; not a policy checkpoint.", weights);
        var pretrained = PolicyCheckpoint.LoadConfig(checkpoint);
        if (pretrained.Type != network.Config.Type)
            throw new InvalidDataException($"--init {checkpoint}: a '{pretrained.Type}' checkpoint cannot initialise a '{network.Config.Type}' network.");
        var tensors = SafetensorsFile.Load(weights);
        var loaded = new List<string>();
        var reinitialized = new List<string>();
        var frozen = new List<string>();
        try
        {
            var names = network.NamedParameters().ToArray();
            var unknown = freezePrefixes.Where(p => !names.Any(n => n.Name.StartsWith(p, StringComparison.Ordinal))).ToArray();
            if (unknown.Length > 0)
                throw new ArgumentException($"--freeze {string.Join(", ", unknown)}: no parameter of this network starts with it (names look like {names[0].Name}).");
            using (no_grad())
            {
                foreach (var (name, param) in names)
                {
                    if (tensors.TryGetValue(name, out var source) && source.shape.SequenceEqual(param.shape))
                    {
                        param.copy_(source);
                        loaded.Add(name);
                        bool head = network.HeadPrefixes.Any(h => name.StartsWith(h, StringComparison.Ordinal));
                        if ((freezeTrunk && !head) || freezePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
                        {
                            param.requires_grad_(false);
                            frozen.Add(name);
                        }
                    }
                    else
                    {
                        reinitialized.Add(name);
                    }
                }
            }

            network.OnWeightsChanged();
            var unused = tensors.Keys.Except(names.Select(n => n.Name), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            long? steps = File.Exists(Path.Combine(checkpoint, PolicyCheckpoint.TrainingFolder, PolicyCheckpoint.TrainerFile))
                ? PolicyCheckpoint.LoadTrainerState(checkpoint).Step
                : null;
            return new Provenance(Path.GetFullPath(checkpoint), Sha256(weights), steps, pretrained.Type, stats, loaded, reinitialized, unused, frozen,
                DateTimeOffset.UtcNow, PolicyCheckpoint.LoadProvenance(checkpoint));
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Re-applies a provenance's frozen set (a resumed fine-tuning run freezes what the original froze).</summary>
    public static void Refreeze(PolicyNetwork network, Provenance provenance)
    {
        var frozen = provenance.Frozen.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, param) in network.NamedParameters())
        {
            if (frozen.Contains(name))
                param.requires_grad_(false);
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
