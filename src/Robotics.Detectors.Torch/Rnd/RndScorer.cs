using System.Text.Json;
using System.Text.Json.Nodes;
using Robotics.Core.Progress;
using Robotics.Detectors.Data;
using Robotics.Detectors.Torch.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Rnd;

/// <summary>
/// Random network distillation (a SAFE baseline): a fixed, randomly initialised target network and a predictor trained
/// to imitate it on the calls of SUCCESSFUL training rollouts only. Where features look like success the predictor has
/// learned the target and the error is small; unfamiliar features give a larger error. Per-call score = mean squared
/// prediction error; the curve is its running mean, as SAFE uses for handcrafted scores. Features are standardised
/// with statistics of the successful training calls. Seeded: target and predictor weights and minibatch order.
/// </summary>
public sealed class RndScorer : TorchFailureScorer
{
    public const string Kind = "rnd";
    private const string TargetPrefix = "target.";
    private const string PredictorPrefix = "predictor.";

    private RndNetwork? target;
    private RndNetwork? predictor;
    private FeatureStandardizer? standardizer;

    public RndScorer(RndOptions? options = null, Device? device = null) : base(device)
    {
        Options = (options ?? new RndOptions()).EnsureValid();
    }

    public RndOptions Options { get; }

    public override string Name => Kind;

    public override long ParameterCount => predictor?.parameters().Sum(p => p.numel()) ?? 0;

    public override void Fit(IReadOnlyList<FeatureRollout> train, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        var successes = train.Where(r => r.Success && r.Calls > 0).ToArray();
        if (successes.Length == 0)
            throw new ArgumentException("rnd: training needs at least one successful rollout with calls.");
        int dimension = PaddedRollouts.FeatureDimension(successes, "rnd training set");

        DisposeTensors();
        EpochLosses = [];
        standardizer = FeatureStandardizer.Fit(successes, dimension, Device);
        (target, predictor) = CreateNetworks(dimension);
        using (var generator = new Generator((ulong)Options.Seed))
        {
            target.Reset(generator);
            predictor.Reset(generator);
        }

        target.to(Device);
        predictor.to(Device);
        target.eval();
        foreach (var p in target.parameters())
            p.requires_grad = false;
        FeatureDimension = dimension;

        var rows = successes.SelectMany(r => r.Features).ToArray();
        var flat = new float[(long)rows.Length * dimension];
        for (int i = 0; i < rows.Length; i++)
            rows[i].CopyTo(flat.AsSpan(i * dimension, dimension));
        using var raw = tensor(flat, [rows.Length, dimension], device: Device);
        using var features = standardizer.Apply(raw);
        Tensor goal;
        using (no_grad())
            goal = target.forward(features);
        using var _goal = goal;

        using var optimizer = new Adam(predictor.parameters(), Options.LearningRate);
        var random = new Random(unchecked((int)Options.Seed ^ (int)(Options.Seed >> 32)));
        var order = Enumerable.Range(0, rows.Length).ToArray();
        var losses = new List<double>(Options.Epochs);
        predictor.train();
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            random.Shuffle(order);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += Options.Batch)
            {
                using var scope = NewDisposeScope();
                var index = tensor(order[start..Math.Min(order.Length, start + Options.Batch)].Select(i => (long)i).ToArray(), device: Device);
                optimizer.ZeroGrad();
                var loss = (predictor.forward(features.index_select(0, index)) - goal.index_select(0, index)).square().mean();
                loss.backward();
                optimizer.Step();
                sum += loss.item<float>();
                batches++;
            }

            losses.Add(sum / batches);
            progress?.Report(new ProgressUpdate("train rnd", epoch + 1, Options.Epochs, $"loss {sum / batches:G4}"));
        }

        predictor.eval();
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
        var x = standardizer!.Apply(PaddedRollouts.Single(rollout, FeatureDimension, Device)).squeeze(0);
        var error = (predictor!.forward(x) - target!.forward(x)).square().mean([1]);
        var steps = tensor(Enumerable.Range(1, rollout.Calls).Select(i => (float)i).ToArray(), device: Device); // no implicit Scalars
        var runningMean = error.cumsum(0) / steps;
        return runningMean.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
    }

    internal override JsonNode OptionsJson() => JsonSerializer.SerializeToNode(Options, DetectorJson.Options)!;

    internal override IEnumerable<KeyValuePair<string, Tensor>> StateTensors()
    {
        EnsureFitted();
        foreach (var kv in standardizer!.State())
            yield return kv;
        foreach (var (name, p) in target!.named_parameters())
            yield return new(TargetPrefix + name, p);
        foreach (var (name, p) in predictor!.named_parameters())
            yield return new(PredictorPrefix + name, p);
    }

    internal override void LoadState(string source, IReadOnlyDictionary<string, Tensor> tensors, int featureDimension)
    {
        DisposeTensors();
        var (t, p) = CreateNetworks(featureDimension);
        try
        {
            StateCopy.Into(source, t.named_parameters().Select(x => (x.name, (Tensor)x.parameter)), tensors, TargetPrefix);
            StateCopy.Into(source, p.named_parameters().Select(x => (x.name, (Tensor)x.parameter)), tensors, PredictorPrefix);
            standardizer = FeatureStandardizer.FromState(source, tensors, featureDimension, Device);
        }
        catch
        {
            t.Dispose();
            p.Dispose();
            throw;
        }

        target = t;
        predictor = p;
        target.to(Device).eval();
        predictor.to(Device).eval();
        FeatureDimension = featureDimension;
        EpochLosses = [];
    }

    protected override void DisposeTensors()
    {
        target?.Dispose();
        predictor?.Dispose();
        standardizer?.Dispose();
        target = null;
        predictor = null;
        standardizer = null;
        FeatureDimension = 0;
    }

    private (RndNetwork Target, RndNetwork Predictor) CreateNetworks(int dimension) =>
        (new RndNetwork("rnd_target", dimension, Options.Hidden, Options.Output), new RndNetwork("rnd_predictor", dimension, Options.Hidden, Options.Output));
}
