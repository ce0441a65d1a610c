using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Core.IO;
using Robotics.Detectors.Torch.Internal;
using Robotics.Detectors.Torch.Rnd;
using Robotics.Detectors.Torch.Safe;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Checkpoints;

/// <summary>
/// A detector checkpoint folder: model.safetensors (weights and the feature standardiser's mean/std, readable by
/// PyTorch's safetensors) and detector.json (<see cref="DetectorManifest"/>). The folder is built under a hidden
/// temporary name and renamed into place, so a crash never leaves a half-written checkpoint under the final name.
/// Loading checks everything it can before a scorer is used -- missing files, unreadable JSON or safetensors, missing
/// or mis-shaped tensors, a feature dimension that disagrees with the tensors or with the caller -- and throws
/// <see cref="InvalidDataException"/> naming the file and the field.
/// </summary>
public static class DetectorCheckpoint
{
    public const string WeightsFile = "model.safetensors";
    public const string ManifestFile = "detector.json";
    public const int Format = 1;

    private static readonly JsonSerializerOptions Json = DetectorJson.Options;

    /// <summary>Rebuilds a scorer from its kind and options JSON (the registry of checkpointable kinds).</summary>
    private static readonly Dictionary<string, Func<JsonNode, Device?, TorchFailureScorer>> Kinds = new()
    {
        [SafeDetectorKinds.Mlp] = (o, d) => SafeDetector.Create(o.Deserialize<SafeDetectorOptions>(Json)!, d),
        [SafeDetectorKinds.Lstm] = (o, d) => SafeDetector.Create(o.Deserialize<SafeDetectorOptions>(Json)!, d),
        [RndScorer.Kind] = (o, d) => new RndScorer(o.Deserialize<RndOptions>(Json)!, d),
    };

    public static void Save(string folder, TorchFailureScorer detector, DetectorCheckpointExtras extras)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(extras);
        if (!detector.IsFitted)
            throw new InvalidOperationException($"{detector.Name}: only a fitted detector can be saved.");
        var manifest = new DetectorManifest(Format, detector.Name, detector.OptionsJson(), detector.FeatureDimension, extras.FeatureLayout,
            detector.ParameterCount, extras.Calibration?.DeepClone().AsObject());
        var tensors = detector.StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
        try
        {
            AtomicFolder.Write(folder, temp =>
            {
                using (var stream = File.Create(Path.Combine(temp, WeightsFile)))
                    Safetensors.SaveStateDict(stream, tensors);
                File.WriteAllText(Path.Combine(temp, ManifestFile), JsonSerializer.Serialize(manifest, Json));
            });
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Reads detector.json alone (cheap: no tensors), validated.</summary>
    public static DetectorManifest LoadManifest(string folder)
    {
        string path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: missing -- {folder} is not a detector checkpoint.");
        DetectorManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DetectorManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON ({e.Message}).", e);
        }

        if (manifest is null)
            throw new InvalidDataException($"{path}: empty manifest.");
        if (manifest.Format != Format)
            throw new InvalidDataException($"{path}: field 'format' is {manifest.Format}; this build reads format {Format}.");
        if (string.IsNullOrEmpty(manifest.Kind) || !Kinds.ContainsKey(manifest.Kind))
            throw new InvalidDataException($"{path}: field 'kind' is '{manifest.Kind}'; expected one of {string.Join(", ", Kinds.Keys)}.");
        if (manifest.FeatureDimension <= 0)
            throw new InvalidDataException($"{path}: field 'featureDimension' must be positive (got {manifest.FeatureDimension}).");
        if (manifest.Options is null)
            throw new InvalidDataException($"{path}: field 'options' is missing.");
        if (manifest.FeatureLayout is null)
            throw new InvalidDataException($"{path}: field 'featureLayout' is missing.");
        return manifest;
    }

    /// <summary>
    /// Loads the scorer. <paramref name="expectedFeatureDimension"/> and <paramref name="expectedFeatureLayout"/>, when
    /// given, must match detector.json (a detector trained on other features would score garbage without complaint).
    /// </summary>
    public static LoadedDetector Load(string folder, Device? device = null, int? expectedFeatureDimension = null, string? expectedFeatureLayout = null)
    {
        var manifest = LoadManifest(folder);
        string manifestPath = Path.Combine(folder, ManifestFile);
        if (expectedFeatureDimension is { } dim && dim != manifest.FeatureDimension)
            throw new InvalidDataException($"{manifestPath}: field 'featureDimension' is {manifest.FeatureDimension}, the caller's features are {dim} wide.");
        if (expectedFeatureLayout is not null && !string.Equals(expectedFeatureLayout, manifest.FeatureLayout, StringComparison.Ordinal))
            throw new InvalidDataException($"{manifestPath}: field 'featureLayout' is '{manifest.FeatureLayout}', the caller's features are '{expectedFeatureLayout}'.");

        TorchFailureScorer scorer;
        try
        {
            scorer = Kinds[manifest.Kind](manifest.Options, device);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NullReferenceException)
        {
            throw new InvalidDataException($"{manifestPath}: field 'options' is not valid for kind '{manifest.Kind}' ({e.Message}).", e);
        }

        string weights = Path.Combine(folder, WeightsFile);
        try
        {
            var tensors = ReadTensors(weights);
            try
            {
                // Every kind saves the standardiser: its width is the width the weights were trained on.
                if (tensors.TryGetValue(FeatureStandardizer.MeanName, out var mean) && mean.shape.Length == 1 && mean.shape[0] != manifest.FeatureDimension)
                    throw new InvalidDataException($"{manifestPath}: field 'featureDimension' is {manifest.FeatureDimension}, but {weights} was trained on features {mean.shape[0]} wide (tensor '{FeatureStandardizer.MeanName}').");
                scorer.LoadState(weights, tensors, manifest.FeatureDimension);
            }
            finally
            {
                foreach (var t in tensors.Values)
                    t.Dispose();
            }
        }
        catch
        {
            scorer.Dispose();
            throw;
        }

        return new LoadedDetector(scorer, manifest);
    }

    private static Dictionary<string, Tensor> ReadTensors(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: missing -- the checkpoint has no weights.");
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path}: not a readable safetensors file ({e.Message}).", e);
        }
    }
}
