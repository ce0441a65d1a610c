using Robotics.Detectors.Data;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch.Internal;

/// <summary>
/// Per-dimension mean and standard deviation of the training features (over every call of every training rollout).
/// Policy features have arbitrary scales (a transformer's last hidden layer can sit around hundreds), and Adam at the
/// paper's learning rates only behaves on standardised input; the statistics belong to the detector and are saved with
/// its weights so inference sees exactly what training saw.
/// </summary>
internal sealed class FeatureStandardizer : IDisposable
{
    public const string MeanName = "standardizer.mean";
    public const string StdName = "standardizer.std";

    private FeatureStandardizer(Tensor mean, Tensor std)
    {
        Mean = mean;
        Std = std;
    }

    public Tensor Mean { get; }

    public Tensor Std { get; }

    public int Dimension => (int)Mean.shape[0];

    public static FeatureStandardizer Fit(IEnumerable<FeatureRollout> rollouts, int dimension, Device device)
    {
        var sum = new double[dimension];
        var sumSq = new double[dimension];
        long count = 0;
        foreach (var rollout in rollouts)
        {
            foreach (var row in rollout.Features)
            {
                for (int d = 0; d < dimension; d++)
                {
                    double v = row[d];
                    sum[d] += v;
                    sumSq[d] += v * v;
                }

                count++;
            }
        }

        if (count == 0)
            throw new ArgumentException("No feature vectors to standardise: every training rollout has zero calls.");
        var mean = new float[dimension];
        var std = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            double m = sum[d] / count;
            double variance = Math.Max(0, sumSq[d] / count - m * m);
            mean[d] = (float)m;
            // A constant dimension carries no information; dividing by 1 keeps it finite (and zero after centring).
            std[d] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }

        return new FeatureStandardizer(tensor(mean, device: device), tensor(std, device: device));
    }

    /// <summary>Takes ownership of copies of the two saved tensors, checking they are 1-D of the given width.</summary>
    public static FeatureStandardizer FromState(string source, IReadOnlyDictionary<string, Tensor> tensors, int dimension, Device device)
    {
        Tensor Take(string name)
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new InvalidDataException($"{source}: missing tensor '{name}'.");
            if (t.shape.Length != 1 || t.shape[0] != dimension)
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", t.shape)}], the feature dimension needs [{dimension}].");
            return t.to_type(ScalarType.Float32).to(device).detach().clone();
        }

        return new FeatureStandardizer(Take(MeanName), Take(StdName));
    }

    /// <summary>(x - mean) / std on the last axis; padded rows must be re-masked by the caller.</summary>
    public Tensor Apply(Tensor features) => (features - Mean) / Std;

    public IEnumerable<KeyValuePair<string, Tensor>> State()
    {
        yield return new(MeanName, Mean);
        yield return new(StdName, Std);
    }

    public void Dispose()
    {
        Mean.Dispose();
        Std.Dispose();
    }
}
