using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Core.Progress;
using Robotics.Detectors.Data;
using Robotics.Detectors.Torch.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Safe;

/// <summary>
/// What SAFE-MLP and SAFE-LSTM share (ANCHORS section 4): standardised per-call features, Adam over batches of whole
/// rollouts (end-padded and masked), per-rollout losses averaged over valid calls and weighted by inverse class
/// frequency, and lambda times the sum of squared non-bias weights. The two kinds differ only in the network, the
/// per-call loss and how logits become a score curve. Training is seeded end to end: weights come from a private
/// generator and batch order from <see cref="Random"/> with the same seed, so one seed gives one model. Rollouts with
/// zero calls are skipped in training (they have no valid step to average over) and score as an empty curve.
/// </summary>
public abstract class SafeDetector : TorchFailureScorer, IOnlineFailureScorer
{
    internal const string NetworkPrefix = "network.";

    private static readonly Dictionary<string, Func<SafeDetectorOptions, Device?, SafeDetector>> Kinds = new()
    {
        [SafeDetectorKinds.Mlp] = (o, d) => new SafeMlpDetector(o, d),
        [SafeDetectorKinds.Lstm] = (o, d) => new SafeLstmDetector(o, d),
    };

    private SafeNetwork? network;
    private FeatureStandardizer? standardizer;

    private protected SafeDetector(SafeDetectorOptions options, string kind, Device? device) : base(device)
    {
        Options = options.EnsureValid();
        if (options.Kind != kind)
            throw new ArgumentException($"SafeDetectorOptions.Kind is '{options.Kind}', but this detector is '{kind}'.");
    }

    public SafeDetectorOptions Options { get; }

    public override string Name => Options.Kind;

    public override long ParameterCount => network?.parameters().Sum(p => p.numel()) ?? 0;

    /// <summary>The detector registered for <see cref="SafeDetectorOptions.Kind"/>.</summary>
    public static SafeDetector Create(SafeDetectorOptions options, Device? device = null)
    {
        options.EnsureValid();
        return Kinds[options.Kind](options, device);
    }

    /// <summary>Trainable parameters of a <paramref name="kind"/> network for the given widths, without building one.</summary>
    public static long CountParameters(string kind, int featureDimension, int hidden) => kind switch
    {
        SafeDetectorKinds.Mlp => (long)featureDimension * hidden + hidden + hidden + 1,
        SafeDetectorKinds.Lstm => 4L * hidden * (featureDimension + hidden) + 8L * hidden + hidden + 1,
        _ => throw new ArgumentException($"Unknown SAFE kind '{kind}'."),
    };

    public override void Fit(IReadOnlyList<FeatureRollout> train, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        var usable = train.Where(r => r.Calls > 0).ToArray();
        int failed = usable.Count(r => r.Failed);
        int succeeded = usable.Length - failed;
        if (failed == 0 || succeeded == 0)
            throw new ArgumentException($"{Name}: training needs rollouts of both classes with at least one call each (got {succeeded} successful, {failed} failed).");
        int dimension = PaddedRollouts.FeatureDimension(usable, $"{Name} training set");

        DisposeTensors();
        EpochLosses = [];
        standardizer = FeatureStandardizer.Fit(usable, dimension, Device);
        network = CreateNetwork(dimension, Options.Hidden);
        using (var generator = new Generator((ulong)Options.Seed))
            network.Reset(generator);
        network.to(Device);
        FeatureDimension = dimension;

        // Inverse class frequency, scaled so a balanced set weighs 1 per rollout (the loss is summed then divided by B).
        double failWeight = usable.Length / (2.0 * failed);
        double successWeight = usable.Length / (2.0 * succeeded);

        var (raw, mask, lengths) = PaddedRollouts.Build(usable, dimension, Device);
        using var _raw = raw;
        using var _mask = mask;
        using var features = standardizer.Apply(raw).mul_(mask.unsqueeze(-1));
        using var failedLabels = tensor(usable.Select(r => r.Failed ? 1f : 0f).ToArray(), device: Device);
        using var rolloutWeights = tensor(usable.Select(r => (float)(r.Failed ? failWeight : successWeight)).ToArray(), device: Device);
        var weightParameters = network.named_parameters().Where(p => !p.name.Contains("bias", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();

        using var optimizer = new Adam(network.parameters(), Options.LearningRate);
        using var lambda = Options.Lambda.ToScalar();
        var order = Enumerable.Range(0, usable.Length).ToArray();
        var random = new Random(unchecked((int)Options.Seed ^ (int)(Options.Seed >> 32)));
        var losses = new List<double>(Options.Epochs);
        network.train();
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            random.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += Options.Batch)
            {
                int[] batch = order[start..Math.Min(order.Length, start + Options.Batch)];
                int length = batch.Max(i => lengths[i]);
                using var scope = NewDisposeScope();
                var index = tensor(batch.Select(i => (long)i).ToArray(), device: Device);
                var x = features.index_select(0, index).narrow(1, 0, length);
                var m = mask.index_select(0, index).narrow(1, 0, length);
                var f = failedLabels.index_select(0, index);
                var w = rolloutWeights.index_select(0, index);

                optimizer.ZeroGrad();
                var perCall = PerCallLoss(network.forward(x), f);
                var perRollout = (perCall * m).sum(1) / m.sum(1);
                // SAFE's aggregation: class-weighted sum over the batch divided by the batch size.
                var loss = (w * perRollout).sum().div(tensor((float)batch.Length, device: Device));
                if (Options.Lambda > 0)
                    loss = loss.add(stack(weightParameters.Select(p => p.square().sum())).sum().mul(lambda));
                loss.backward();
                optimizer.Step();

                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"{Name} training diverged at epoch {epoch}: loss is {value}. Lower LearningRate or Lambda.");
                sum += value;
                batches++;
            }

            losses.Add(sum / batches);
            progress?.Report(new ProgressUpdate($"train {Name}", epoch + 1, Options.Epochs, $"loss {sum / batches:G4}"));
        }

        network.eval();
        EpochLosses = losses;
    }

    public override double[] Scores(FeatureRollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        EnsureFitted();
        if (rollout.Calls == 0)
            return [];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = standardizer!.Apply(PaddedRollouts.Single(rollout, FeatureDimension, Device));
        var curve = ScoreCurve(network!.forward(x)).squeeze(0);
        return curve.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    /// <summary>Follows one rollout call by call: one network step per call (the live monitor's path).</summary>
    public IOnlineScoreSession StartSession()
    {
        EnsureFitted();
        return new OnlineSession(this);
    }

    /// <summary>The score after a call, from the score before it (NaN before the first call) and the call's logit.</summary>
    private protected abstract double Accumulate(double previous, double logit);

    private sealed class OnlineSession(SafeDetector detector) : IOnlineScoreSession
    {
        private (Tensor H, Tensor C)? _state;
        private double _score = double.NaN;

        public double Next(float[] features)
        {
            if (features.Length != detector.FeatureDimension)
                throw new ArgumentException($"{detector.Name}: a call has {features.Length} features; the detector was fitted on {detector.FeatureDimension}.");
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = detector.standardizer!.Apply(tensor(features, device: detector.Device).view(1, 1, -1));
            double logit = detector.network!.Step(x, ref _state).to_type(ScalarType.Float64).cpu().item<double>();
            _score = detector.Accumulate(_score, logit);
            return _score;
        }

        public void Dispose()
        {
            _state?.H.Dispose();
            _state?.C.Dispose();
            _state = null;
        }
    }

    /// <summary>The network for the given widths (parameters are re-drawn from the seed afterwards).</summary>
    private protected abstract SafeNetwork CreateNetwork(int featureDimension, int hidden);

    /// <summary>Per-call loss [B, T] from per-call logits [B, T] and failure labels [B] (1 = failed).</summary>
    private protected abstract Tensor PerCallLoss(Tensor logits, Tensor failed);

    /// <summary>The score curve [B, T] from per-call logits [B, T]: higher means more likely to fail.</summary>
    private protected abstract Tensor ScoreCurve(Tensor logits);

    internal override JsonNode OptionsJson() => JsonSerializer.SerializeToNode(Options, DetectorJson.Options)!;

    internal override IEnumerable<KeyValuePair<string, Tensor>> StateTensors()
    {
        EnsureFitted();
        foreach (var kv in standardizer!.State())
            yield return kv;
        foreach (var (name, p) in network!.named_parameters())
            yield return new(NetworkPrefix + name, p);
    }

    internal override void LoadState(string source, IReadOnlyDictionary<string, Tensor> tensors, int featureDimension)
    {
        DisposeTensors();
        var loaded = CreateNetwork(featureDimension, Options.Hidden);
        try
        {
            StateCopy.Into(source, loaded.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), tensors, NetworkPrefix);
            standardizer = FeatureStandardizer.FromState(source, tensors, featureDimension, Device);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }

        network = loaded;
        network.to(Device);
        network.eval();
        FeatureDimension = featureDimension;
        EpochLosses = [];
    }

    protected override void DisposeTensors()
    {
        network?.Dispose();
        network = null;
        standardizer?.Dispose();
        standardizer = null;
        FeatureDimension = 0;
    }
}
