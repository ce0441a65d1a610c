using Robotics.Core.Arrays;
using Robotics.Core.Shapes;
using Robotics.Datasets.Sampling;
using Robotics.Datasets.Trajectories;
using Robotics.Policies.Configuration;

namespace Robotics.Policies.Data;

/// <summary>
/// Training batches from the datasets library's <see cref="WindowSampler"/> in the policy's terms: state columns
/// concatenated and converted to float32, camera frames interleaved as (B, n_obs, cams, H, W, C), task indices
/// mapped to the policy's, instructions attached, and the world-model target. Batch s is a pure function of (seed,
/// s, batch size), so a resumed run draws exactly the batches of the uninterrupted one.
/// </summary>
public sealed class SampledBatchSource : ITrainingBatchSource, IDisposable
{
    private readonly WindowSampler sampler;
    private readonly PolicyConfig config;
    private readonly IReadOnlyList<CorpusTasks> tasks;
    private readonly bool maskPadding;
    private readonly IReadOnlyList<string> stateKeys;

    /// <param name="tasks">Per corpus of the sampler, in order.</param>
    /// <param name="maskPadding">Score chunk rows past an episode's end (false) or not (true); see TrainingOptions.MaskPadding.</param>
    public SampledBatchSource(WindowSampler sampler, PolicyConfig config, IReadOnlyList<CorpusTasks> tasks, bool maskPadding)
    {
        if (tasks.Count != sampler.Corpora.Count)
            throw new ArgumentException($"{tasks.Count} task maps for {sampler.Corpora.Count} corpora.", nameof(tasks));
        this.sampler = sampler;
        this.config = config;
        this.tasks = tasks;
        this.maskPadding = maskPadding;
        stateKeys = TrainingWindows.StateKeys(config);
        WindowCount = Enumerable.Range(0, sampler.Corpora.Count).Sum(sampler.AnchorRows);
    }

    public WindowSampler Sampler => sampler;

    public long WindowCount { get; }

    /// <summary>One in-memory corpus whose task indices are the policy's (tests, benchmarks).</summary>
    public static SampledBatchSource InMemory(FlatDataset dataset, PolicyConfig config, long seed, bool maskPadding = false, int batchSize = 64)
    {
        var options = TrainingWindows.Options(config, new Training.TrainingOptions { BatchSize = batchSize }, seed, includeFailures: true);
        var sampler = new WindowSampler([new CorpusSpec("memory", new FlatDatasetSource(dataset))], options);
        return new SampledBatchSource(sampler, config, [CorpusTasks.Identity("memory", config)], maskPadding);
    }

    public RawBatch Sample(long step, int batchSize)
    {
        var batch = sampler.Sample(step, batchSize);
        int b = batch.BatchSize, n = config.ObservationHistory, h = config.Horizon, s = config.StateDim, a = config.ActionDim;
        var state = Concat(batch.Observations, b * n, s);
        var future = Concat(batch.Future, b, s);
        var images = config.Cameras.Count == 0 ? null : Images(batch, b, n);
        // Play data alone (no labelled corpus in this sampler): zero actions of the policy's width, all masked.
        var actions = batch.Actions.ElementCount == 0 ? new float[b * h * a] : batch.Actions.ToFloats();
        if (actions.Length != b * h * a)
            throw new InvalidDataException($"'{D4rlKeys.Actions}' rows have {actions.Length / Math.Max(1, b * h)} values; the policy expects {a}.");
        var mask = new float[b * h];
        var hasActions = new float[b];
        var taskIndex = new long[b];
        var instructions = new string?[b];
        for (int i = 0; i < b; i++)
        {
            hasActions[i] = batch.HasActions[i] ? 1 : 0;
            for (int k = 0; k < h; k++)
                mask[i * h + k] = batch.HasActions[i] && (!maskPadding || batch.ActionMask[i * h + k]) ? 1 : 0;
            var map = tasks[batch.CorpusIndex[i]];
            long local = batch.TaskIndex[i];
            if (local < 0 || local >= map.ToPolicy.Length)
                throw new InvalidDataException($"{sampler.Corpora[batch.CorpusIndex[i]].Source.Origin}: episode {batch.EpisodeIndex[i]} has task index {local}, but the corpus lists {map.ToPolicy.Length} task(s) ({D4rlKeys.TaskInstructions}).");
            taskIndex[i] = map.ToPolicy[local];
            instructions[i] = map.Instructions[local];
        }

        return new RawBatch(b, state, images, taskIndex, instructions, actions, mask, hasActions, future);
    }

    /// <summary>The state columns of each of <paramref name="rows"/> rows side by side, as float32.</summary>
    private float[] Concat(IReadOnlyDictionary<string, NdArray> columns, int rows, int width)
    {
        var result = new float[rows * width];
        int offset = 0;
        foreach (string key in stateKeys)
        {
            var array = columns[key];
            int w = (int)(array.ElementCount / rows);
            if (offset + w > width)
                throw new InvalidDataException($"'{key}' rows have {w} values; with the columns before it that is more than the policy's state of {width}.");
            var floats = new float[rows * w];
            ElementConverter.ToFloats(array.DType, array.Data, floats, key);
            for (int r = 0; r < rows; r++)
                floats.AsSpan(r * w, w).CopyTo(result.AsSpan(r * width + offset, w));
            offset += w;
        }

        if (offset != width)
            throw new InvalidDataException($"The state columns {string.Join(" + ", stateKeys)} have {offset} values per row; the policy expects {width}.");
        return result;
    }

    private byte[] Images(SampleBatch batch, int b, int n)
    {
        int frame = config.ImageShape.Aggregate(1, (x, y) => x * y), cams = config.Cameras.Count;
        var result = new byte[b * n * cams * frame];
        for (int c = 0; c < cams; c++)
        {
            var array = batch.Observations[FeatureKeys.Image(config.Cameras[c])];
            if (array.DType != DType.UInt8 || array.Data.Length != b * n * frame)
                throw new InvalidDataException($"Camera '{FeatureKeys.Image(config.Cameras[c])}' is {array.DType.ToNumpy()} with {array.Data.Length / Math.Max(1, b * n)} bytes per frame; the policy expects uint8 frames of {frame} ({string.Join("x", config.ImageShape)}).");
            for (int f = 0; f < b * n; f++)
                array.Data.AsSpan(f * frame, frame).CopyTo(result.AsSpan((f * cams + c) * frame, frame));
        }

        return result;
    }

    public void Dispose() => sampler.Dispose();
}
