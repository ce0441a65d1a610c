using System.Text.Json;
using Robotics.Core.IO;
using Robotics.Policies.Configuration;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Policies.Registry;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Checkpoints;

/// <summary>
/// A checkpoint folder: config.json (PolicyConfig, including the registered type), model.safetensors (the EMA
/// weights inference uses), normalization.json, and training/ (raw weights, AdamW moments, trainer.json) for
/// exact resume. The folder is written under a temporary name and renamed, so a crash never leaves a partial
/// checkpoint under its final name. A run started from another checkpoint's weights also writes provenance.json.
/// </summary>
public static class PolicyCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string StatsFile = "normalization.json";
    public const string TrainingFolder = "training";
    public const string RawWeightsFile = "raw.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string TrainerFile = "trainer.json";
    public const string ProvenanceFile = "provenance.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Save(string folder, PolicyConfig config, NormalizationStats stats, IEnumerable<KeyValuePair<string, Tensor>> inferenceWeights,
        IEnumerable<KeyValuePair<string, Tensor>>? rawWeights = null, IEnumerable<KeyValuePair<string, Tensor>>? optimizer = null, TrainerState? trainer = null,
        Provenance? provenance = null)
    {
        AtomicFolder.Write(folder, temp =>
        {
            File.WriteAllText(Path.Combine(temp, ConfigFile), JsonSerializer.Serialize(config, PolicyConfig.Json));
            if (provenance is not null)
                File.WriteAllText(Path.Combine(temp, ProvenanceFile), JsonSerializer.Serialize(provenance, Json));
            stats.Save(Path.Combine(temp, StatsFile));
            SafetensorsFile.Save(Path.Combine(temp, WeightsFile), inferenceWeights);
            if (trainer is not null)
            {
                string training = Path.Combine(temp, TrainingFolder);
                Directory.CreateDirectory(training);
                SafetensorsFile.Save(Path.Combine(training, RawWeightsFile), rawWeights ?? throw new ArgumentNullException(nameof(rawWeights)));
                SafetensorsFile.Save(Path.Combine(training, OptimizerFile), optimizer ?? throw new ArgumentNullException(nameof(optimizer)));
                File.WriteAllText(Path.Combine(training, TrainerFile), JsonSerializer.Serialize(trainer, Json));
            }
        });
    }

    public static PolicyConfig LoadConfig(string folder)
    {
        string path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder} is not a policy checkpoint: {ConfigFile} is missing.", path);
        try
        {
            return (JsonSerializer.Deserialize<PolicyConfig>(File.ReadAllText(path), PolicyConfig.Json)
                    ?? throw new InvalidDataException($"{path}: empty config.")).EnsureValid();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Builds the network named by config.json and loads the inference (EMA) weights. <paramref name="configure"/>
    /// may return another (validated) configuration of the same shapes to run with, e.g. other sampling steps.
    /// </summary>
    public static (PolicyNetwork Network, PolicyProcessor Processor) Load(string folder, Device device, Func<PolicyConfig, PolicyConfig>? configure = null)
    {
        var config = configure is null ? LoadConfig(folder) : configure(LoadConfig(folder));
        var stats = NormalizationStats.Load(Path.Combine(folder, StatsFile));
        var network = PolicyRegistry.Create(config);
        string weights = Path.Combine(folder, WeightsFile);
        var tensors = SafetensorsFile.Load(weights);
        SafetensorsFile.CopyInto(weights, network.NamedParameters(), tensors);
        foreach (var t in tensors.Values) t.Dispose();
        network.to(device);
        network.eval();
        return (network, new PolicyProcessor(config, stats));
    }

    /// <summary>provenance.json, or null for a checkpoint trained from scratch.</summary>
    public static Provenance? LoadProvenance(string folder)
    {
        string path = Path.Combine(folder, ProvenanceFile);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<Provenance>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty provenance.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON ({e.Message}).", e);
        }
    }

    public static TrainerState LoadTrainerState(string folder)
    {
        string path = Path.Combine(folder, TrainingFolder, TrainerFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder} has no training state to resume from ({TrainingFolder}/{TrainerFile} missing).", path);
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty trainer state.");
    }
}
