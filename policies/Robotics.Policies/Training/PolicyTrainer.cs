using System.Diagnostics;
using Robotics.Core.Progress;
using Robotics.Policies.Checkpoints;
using Robotics.Policies.Data;
using Robotics.Policies.Nn;
using Robotics.Policies.Processing;
using Robotics.Policies.Training.Distributed;
using Robotics.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Policies.Training;

/// <summary>
/// Trains any registered policy network: AdamW with warm-up + cosine, gradient clipping, EMA weights, validation
/// loss, progress with loss and throughput, and atomic checkpoints every N steps and at the end. Every random
/// draw of step s comes from generators seeded by (seed, s), so a run resumed from a checkpoint reproduces the
/// uninterrupted run exactly.
/// <para>Data-parallel (<see cref="Reducer"/> with more than one rank): every rank cuts the same global batch of step s
/// and keeps its own rows, per-sample noise is drawn for the global batch and cut the same way, gradients are averaged
/// over the ranks before clipping, and only rank 0 writes checkpoints. The weights stay identical on every rank, and a
/// run on R ranks matches the one-process run of the same global batch (up to float summation order; MoE routing
/// samples and load-balancing statistics are per rank, as in other MoE trainers). Resume works with any rank count
/// that divides the global batch.</para>
/// </summary>
public sealed class PolicyTrainer : IDisposable
{
    private readonly PolicyNetwork network;
    private readonly PolicyProcessor processor;
    private readonly TrainingOptions options;
    private readonly Device device;
    private readonly AdamW optimizer;
    private readonly ExponentialMovingAverage ema;
    private readonly LearningRateSchedule schedule;
    private readonly Provenance? provenance;
    private double? lastValidation;
    private IGradientReducer? reducer;

    /// <param name="provenance">Where the initial weights came from (fine-tuning); saved with every checkpoint.</param>
    public PolicyTrainer(PolicyNetwork network, PolicyProcessor processor, TrainingOptions options, Device device, Provenance? provenance = null)
    {
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid training options: " + string.Join(" ", errors));
        this.network = network;
        this.processor = processor;
        this.options = options;
        this.device = device;
        this.provenance = provenance;
        network.to(device);
        var parameters = network.NamedParameters().ToArray();
        // Frozen parameters (fine-tuning with a frozen trunk) get no optimiser state and no weight decay.
        optimizer = new AdamW(parameters.Where(p => p.Param.requires_grad).ToArray(), options.Beta1, options.Beta2, options.WeightDecay, options.Epsilon);
        ema = new ExponentialMovingAverage(parameters, options.EmaPower, options.EmaMax);
        schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, options.Steps, options.MinLearningRateRatio);
    }

    /// <summary>
    /// Forward / backward passes recomputed after TorchSharp freed one of its own Scalars under libtorch
    /// (<see cref="TorchScalarRace"/>); the recomputation is exact, so the run is the same as without the fault.
    /// </summary>
    public int RecoveredScalarFaults { get; private set; }

    /// <summary>The next step to run (0 for a fresh run).</summary>
    public long Step { get; private set; }

    public PolicyNetwork Network => network;

    /// <summary>The data-parallel collective (null or one rank: a single process). Set before <see cref="Run"/>.</summary>
    public IGradientReducer? Reducer
    {
        get => reducer;
        set
        {
            if (value is not null && options.BatchSize % value.Size != 0)
                throw new ArgumentException($"The global batch size {options.BatchSize} must divide evenly over {value.Size} ranks.");
            reducer = value is { Size: > 1 } ? value : null;
        }
    }

    /// <summary>True on the process that writes checkpoints (rank 0, or the only process).</summary>
    public bool IsRoot => reducer is null || reducer.Rank == 0;

    /// <summary>Where the initial weights came from, for a fine-tuning run; null from scratch.</summary>
    public Provenance? Provenance => provenance;
    public TrainingOptions Options => options;

    /// <summary>Restores network, optimiser, EMA and step from a checkpoint written by <see cref="SaveCheckpoint"/>.</summary>
    public static PolicyTrainer Resume(string checkpoint, Device device, Action<TrainingOptions>? adjust = null)
    {
        var state = PolicyCheckpoint.LoadTrainerState(checkpoint);
        var config = PolicyCheckpoint.LoadConfig(checkpoint);
        var stats = NormalizationStats.Load(Path.Combine(checkpoint, PolicyCheckpoint.StatsFile));
        var network = Registry.PolicyRegistry.Create(config);
        var options = state.Options;
        adjust?.Invoke(options);
        var provenance = PolicyCheckpoint.LoadProvenance(checkpoint);
        if (provenance is not null)
            FineTuning.Refreeze(network, provenance);
        var trainer = new PolicyTrainer(network, new PolicyProcessor(config, stats), options, device, provenance);
        string training = Path.Combine(checkpoint, PolicyCheckpoint.TrainingFolder);
        string raw = Path.Combine(training, PolicyCheckpoint.RawWeightsFile);
        SafetensorsFile.CopyInto(raw, network.NamedParameters(), SafetensorsFile.Load(raw));
        trainer.ema.Load(SafetensorsFile.Load(Path.Combine(checkpoint, PolicyCheckpoint.WeightsFile)));
        trainer.optimizer.LoadStateDict(SafetensorsFile.Load(Path.Combine(training, PolicyCheckpoint.OptimizerFile)), state.Step);
        trainer.Step = state.Step;
        trainer.lastValidation = state.LastValidationLoss;
        return trainer;
    }

    /// <param name="output">Checkpoints go to output/step_NNNNNNN and output/final; null keeps everything in memory.</param>
    /// <param name="stopAfter">Stop (with a checkpoint) once this step is reached, as an interrupted run would.</param>
    public TrainingResult Run(ITrainingBatchSource train, ITrainingBatchSource? validation, string? output,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default, long? stopAfter = null)
    {
        long end = Math.Min(options.Steps, stopAfter ?? long.MaxValue);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        long startStep = Step;
        double lastLoss = double.NaN;
        string? lastCheckpoint = null;
        progress?.Report(new ProgressUpdate("train", Step, options.Steps, $"{train.WindowCount} windows"));
        (long Step, Task<RawBatch> Batch)? prefetch = null;
        while (Step < end)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (output is not null && IsRoot)
                    SaveCheckpoint(StepFolder(output));
                cancellationToken.ThrowIfCancellationRequested();
            }

            // The next step's windows are cut on another core while this step computes (batches are pure
            // functions of (seed, step), so prefetching changes nothing but the wall time).
            var raw = prefetch is { } p && p.Step == Step ? p.Batch.GetAwaiter().GetResult() : train.Sample(Step, options.BatchSize);
            long nextStep = Step + 1;
            prefetch = nextStep < end ? (nextStep, Task.Run(() => train.Sample(nextStep, options.BatchSize), cancellationToken)) : null;
            lastLoss = TrainStep(raw);
            losses.Add(lastLoss);
            Step++;
            if (validation is not null && (Step % options.ValidateEvery == 0 || Step == options.Steps))
                lastValidation = Validate(validation);
            if (output is not null && (Step % options.CheckpointEvery == 0 || Step == end))
            {
                lastCheckpoint = StepFolder(output);
                if (IsRoot)
                    SaveCheckpoint(lastCheckpoint);
            }

            double rate = (Step - startStep) * (double)options.BatchSize / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            progress?.Report(new ProgressUpdate("train", Step, options.Steps,
                $"loss {lastLoss:0.0000}" + (lastValidation is null ? "" : $" val {lastValidation:0.0000}") + $" · {rate:0} samples/s"));
        }

        if (output is not null && Step == options.Steps)
        {
            lastCheckpoint = Path.Combine(output, "final");
            if (IsRoot)
                SaveCheckpoint(lastCheckpoint);
        }

        double samplesPerSecond = (Step - startStep) * (double)options.BatchSize / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
        return new TrainingResult(Step, lastLoss, lastValidation, samplesPerSecond, lastCheckpoint, losses) { RecoveredScalarFaults = RecoveredScalarFaults };
    }

    /// <summary>Mean loss over a fixed set of validation batches (same batches and noise every time).</summary>
    public double Validate(ITrainingBatchSource validation)
    {
        network.eval();
        double sum = 0;
        for (int i = 0; i < options.ValidationBatches; i++)
        {
            var raw = validation.Sample(-1 - i, options.BatchSize);
            long key = -1 - i;
            sum += Recomputed(() =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                using var generator = StepGenerator(key);
                using var batch = processor.ToBatch(raw, device);
                return (double)network.ComputeLoss(batch, generator).Total.item<float>();
            });
        }

        network.train();
        return sum / Math.Max(1, options.ValidationBatches);
    }

    public void SaveCheckpoint(string folder)
    {
        var raw = network.NamedParameters().Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Param)).ToArray();
        PolicyCheckpoint.Save(folder, network.Config, processor.Stats, ema.Weights, raw, optimizer.StateDict(),
            new TrainerState(Step, options.Seed, options, lastValidation), provenance);
    }

    /// <summary>Copies the EMA weights into the network (for evaluating the trained policy in memory).</summary>
    public void ApplyEmaWeights() => SafetensorsFile.CopyInto("EMA", network.NamedParameters(), ema.Weights);

    private double TrainStep(RawBatch raw)
    {
        using var scope = NewDisposeScope();
        network.train();
        // Forward and backward read the weights and write only the zeroed gradients, and the step's randomness comes
        // from (seed, step): recomputing them after a Scalar race gives the same gradients.
        double value = Recomputed(() =>
        {
            using var inner = NewDisposeScope();
            using var generator = StepGenerator(Step);
            using var batch = reducer is null
                ? processor.ToBatch(raw, device)
                : processor.ToBatch(raw.Rows(reducer.Rank * (raw.Size / reducer.Size), raw.Size / reducer.Size), device, new BatchShard(reducer.Rank * (raw.Size / reducer.Size), raw.Size));
            optimizer.ZeroGrad();
            var loss = network.ComputeLoss(batch, generator);
            loss.Total.backward();
            // Data-parallel: this is the rank's own shard mean (rank 0 reports it), not reduced over ranks.
            return (double)loss.Total.item<float>();
        });
        var trainable = network.parameters().Where(p => p.requires_grad).ToArray();
        reducer?.AllReduceMean(trainable);
        nn.utils.clip_grad_norm_(trainable, options.GradientClip);
        optimizer.Step(schedule.At(Step));
        ema.Update(Step);
        network.OnWeightsChanged();
        if (!double.IsFinite(value))
            throw new InvalidOperationException($"Training diverged at step {Step}: loss is {value}. Lower training.learning_rate or check the data statistics.");
        return value;
    }

    private double Recomputed(Func<double> pass) => TorchScalarRace.Recompute(pass, () => RecoveredScalarFaults++);

    private Generator StepGenerator(long step) =>
        new((ulong)unchecked(options.Seed * 6364136223846793005L + step * 1442695040888963407L + 1), device);

    private string StepFolder(string output) => Path.Combine(output, $"step_{Step:D7}");

    public void Dispose()
    {
        optimizer.Dispose();
        ema.Dispose();
    }
}
