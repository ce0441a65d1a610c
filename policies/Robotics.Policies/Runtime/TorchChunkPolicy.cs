using System.Diagnostics;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Runtime;

/// <summary>
/// Any registered policy network behind the control loop's <see cref="IChunkPolicy"/>: keeps the observation
/// history of the current episode, one frame per executed step (<see cref="Observe"/> and <see cref="PredictChunk"/>),
/// the first frame repeated until n_obs frames exist, exactly as training windows are cut; normalises, predicts a
/// chunk and returns it in environment units together with the network's feature vector
/// (<see cref="PolicyChunk.Features"/>: for MoDE the last block's hidden states averaged over tokens and
/// denoising steps; for MLP-BC the last hidden layer). Sampling noise comes from a generator reseeded on
/// <see cref="Reset"/>, so an episode replays exactly.
/// </summary>
public sealed class TorchChunkPolicy : ISampledChunkPolicy
{
    private readonly PolicyNetwork network;
    private readonly PolicyProcessor processor;
    private readonly Device device;
    private (List<float[]> History, List<byte[][]>? Images, int? Task, string? Instruction)? lastBatch;
    private long calls;
    private long episodeStream;
    private readonly long seed;
    private readonly List<float[]> history = [];
    private readonly List<byte[][]> imageHistory = [];
    private Generator generator;
    private long episodes;
    private long? lastStep;

    public TorchChunkPolicy(PolicyNetwork network, PolicyProcessor processor, Device device, long seed = 0)
    {
        this.network = network;
        this.processor = processor;
        this.device = device;
        this.seed = seed;
        network.eval();
        var config = network.Config;
        var observations = new List<FeatureSpec> { new(FeatureKeys.State, DType.Float32, [config.StateDim]) };
        observations.AddRange(config.Cameras.Select(c => new FeatureSpec(FeatureKeys.Image(c), DType.UInt8, config.ImageShape)));
        Shape = new ShapeSpec(observations, new FeatureSpec(FeatureKeys.Action, DType.Float32, [config.ActionDim]), config.TaskCount);
        generator = new Generator((ulong)seed, device);
    }

    /// <summary>Loads a checkpoint folder (config.json + model.safetensors + normalization.json).</summary>
    public static TorchChunkPolicy Load(string checkpoint, string device = "auto", long seed = 0)
    {
        TorchRuntime.Initialize();
        return Load(checkpoint, TorchRuntime.ResolveDevice(device), seed);
    }

    /// <summary>Loads a checkpoint onto <paramref name="device"/>, optionally with run-time overrides (a new, validated configuration).</summary>
    public static TorchChunkPolicy Load(string checkpoint, Device device, long seed = 0, InferenceOverrides? overrides = null)
    {
        var (network, processor) = PolicyCheckpoint.Load(checkpoint, device, overrides is null ? null : overrides.Apply);
        return new TorchChunkPolicy(network, processor, device, seed);
    }

    public ShapeSpec Shape { get; }
    public int PredictionHorizon => network.Config.Horizon;
    public int ExecutedSteps => network.Config.ExecutedSteps;
    public int FeatureDimension => network.FeatureDimension;

    /// <summary>
    /// What the feature vector is made of: policy type, feature width, horizon, history and the type's own options
    /// (e.g. sampling steps, experts). A failure detector trained on one layout must not read another's features.
    /// </summary>
    public string FeatureLayout
    {
        get
        {
            var c = network.Config;
            string options = string.Join(";", c.Sections.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={System.Text.Json.JsonSerializer.Serialize(s.Value)}"));
            return $"{c.Type}|features={network.FeatureDimension}|width={c.Width}|horizon={c.Horizon}|executed={c.ExecutedSteps}|history={c.ObservationHistory}|{options}";
        }
    }
    public PolicyNetwork Network => network;

    /// <summary>The state frames the next prediction will see, oldest first (n_obs rows once a frame exists).</summary>
    public IReadOnlyList<float[]> History => history.Select(f => (float[])f.Clone()).ToArray();

    public void Reset()
    {
        history.Clear();
        imageHistory.Clear();
        lastStep = null;
        episodes++;
        calls = 0;
        episodeStream = episodes;
        lastBatch = null;
        generator.Dispose();
        generator = new Generator((ulong)unchecked(seed * 31 + episodes), device);
    }

    /// <summary>As <see cref="Reset()"/>, with the sampling noise drawn from the episode's own seed (sweeps, evaluation).</summary>
    public void Reset(long episodeSeed)
    {
        Reset();
        episodeStream = episodeSeed;
        generator.Dispose();
        generator = new Generator((ulong)unchecked(seed * 31 + episodeSeed * 0x9E3779B1L), device);
    }

    public void Observe(PolicyObservation observation) => Record(observation);

    /// <summary>
    /// Extra chunks for the last prediction's history, from a generator seeded by (policy seed, episode seed, call), so
    /// the rollout's own sampling stream is untouched and the samples are reproducible.
    /// </summary>
    public float[][][] SampleChunks(int count, CancellationToken cancellationToken = default)
    {
        if (lastBatch is null)
            throw new InvalidOperationException("SampleChunks needs a PredictChunk first (it samples for that call's history)");
        using var scope = NewDisposeScope();
        using var samples = new Generator((ulong)unchecked(seed * 131 + episodeStream * 7919 + calls), device);
        var result = new float[count][][];
        for (int k = 0; k < count; k++)
        {
            using var batch = processor.ObservationBatch(lastBatch.Value.History, lastBatch.Value.Images, lastBatch.Value.Task, lastBatch.Value.Instruction, device);
            var (actions, _) = network.Predict(batch, samples, cancellationToken);
            result[k] = processor.ActionsToEnvironment(actions);
        }

        return result;
    }

    public PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var config = network.Config;
        Record(observation);

        using var scope = NewDisposeScope();
        string? instruction = observation.Instruction
                              ?? (observation.TaskIndex is int ti && ti < config.Tasks.Count ? config.Tasks[ti].Instruction : null);
        var images = config.Cameras.Count > 0 ? imageHistory : null;
        lastBatch = (history.ToList(), images?.ToList(), observation.TaskIndex, instruction);
        calls++;
        using var batch = processor.ObservationBatch(history, images, observation.TaskIndex, instruction, device);
        var (actions, features) = Sample(batch, cancellationToken);
        var chunk = processor.ActionsToEnvironment(actions);
        var feature = features[0].to(ScalarType.Float32).cpu().data<float>().ToArray();
        return new PolicyChunk(chunk, feature, clock.Elapsed);
    }

    /// <summary>
    /// Chunks recomputed after TorchSharp freed one of its own Scalars under libtorch (<see cref="TorchScalarRace"/>);
    /// the generator is rewound first, so the chunk is the one a fault-free call gives.
    /// </summary>
    public int RecoveredScalarFaults { get; private set; }

    private (Tensor Actions, Tensor Features) Sample(PolicyBatch batch, CancellationToken cancellationToken)
    {
        using var state = generator.get_state();
        return TorchScalarRace.Recompute(() => network.Predict(batch, generator, cancellationToken), () =>
        {
            generator.set_state(state);
            RecoveredScalarFaults++;
        });
    }

    /// <summary>Validates one step's observation and adds it to the history (replacing the newest frame when it repeats that step).</summary>
    private void Record(PolicyObservation observation)
    {
        var config = network.Config;
        if (!observation.Features.TryGetValue(FeatureKeys.State, out var stateArray))
            throw new ArgumentException($"Observation lacks '{FeatureKeys.State}' (has: {string.Join(", ", observation.Features.Keys)}).");
        var state = stateArray.ToFloats();
        if (state.Length != config.StateDim)
            throw new ArgumentException($"'{FeatureKeys.State}' has {state.Length} values; the policy was trained on {config.StateDim}.");
        if (state.Any(v => !float.IsFinite(v)))
            throw new ArgumentException($"'{FeatureKeys.State}' contains a non-finite value.");
        if (observation.TaskIndex is int t && (t < 0 || t >= config.TaskCount))
            throw new ArgumentException($"Task index {t} is outside the policy's {config.TaskCount} task(s).");
        var images = config.Cameras.Count > 0 ? config.Cameras.Select(c => CameraFrame(observation, c)).ToArray() : null;
        bool repeat = observation.Step is long step && step == lastStep;
        lastStep = observation.Step;
        Push(history, state, repeat);
        if (images is not null)
            Push(imageHistory, images, repeat);
    }

    private void Push<T>(List<T> frames, T frame, bool replaceNewest)
    {
        int n = network.Config.ObservationHistory;
        if (replaceNewest && frames.Count > 0)
        {
            frames[^1] = frame;
            return;
        }

        if (frames.Count == 0)
        {
            for (int i = 0; i < n; i++) frames.Add(frame);
            return;
        }

        frames.RemoveAt(0);
        frames.Add(frame);
    }

    private byte[] CameraFrame(PolicyObservation observation, string camera)
    {
        string key = FeatureKeys.Image(camera);
        if (!observation.Features.TryGetValue(key, out var image))
            throw new ArgumentException($"Observation lacks camera '{key}'.");
        if (image.DType != DType.UInt8 || !image.Shape.SequenceEqual(network.Config.ImageShape))
            throw new ArgumentException($"'{key}' is {image}, the policy expects uint8[{string.Join(", ", network.Config.ImageShape)}].");
        return image.Data;
    }

    public void Dispose()
    {
        generator.Dispose();
        network.Dispose();
    }
}
