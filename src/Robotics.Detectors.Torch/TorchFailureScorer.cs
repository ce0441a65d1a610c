using System.Text.Json.Nodes;
using Robotics.Detectors.Data;
using static TorchSharp.torch;

namespace Robotics.Detectors.Torch;

/// <summary>
/// A failure scorer backed by TorchSharp tensors (SAFE-MLP, SAFE-LSTM, RND). It owns native memory, so it is
/// disposable; its weights and feature statistics never leave this assembly as tensors (STYLE: no tensor crosses a
/// project boundary) -- DetectorCheckpoint is the way to persist them.
/// </summary>
public abstract class TorchFailureScorer : IFailureScorer, IDisposable
{
    private bool disposed;

    protected TorchFailureScorer(Device? device)
    {
        Robotics.Torch.TorchRuntime.Initialize();
        Device = device ?? CPU;
    }

    /// <summary>The registered kind ("safe-mlp", "safe-lstm", "rnd"); also the scorer's name in reports.</summary>
    public abstract string Name { get; }

    /// <summary>The device weights and inputs live on (CPU unless the caller asked otherwise).</summary>
    public Device Device { get; }

    /// <summary>Width of the feature vectors the scorer was fitted on; 0 before <see cref="Fit"/>.</summary>
    public int FeatureDimension { get; protected set; }

    public bool IsFitted => FeatureDimension > 0;

    /// <summary>Trainable parameters (target networks and feature statistics excluded).</summary>
    public abstract long ParameterCount { get; }

    /// <summary>Mean training loss of each epoch of the last <see cref="Fit"/> (empty after loading a checkpoint).</summary>
    public IReadOnlyList<double> EpochLosses { get; protected set; } = [];

    public void Fit(IReadOnlyList<FeatureRollout> train) => Fit(train, null, CancellationToken.None);

    public abstract void Fit(IReadOnlyList<FeatureRollout> train, IProgress<Robotics.Core.Progress.ProgressUpdate>? progress, CancellationToken cancellationToken);

    public abstract double[] Scores(FeatureRollout rollout);

    /// <summary>The options record as JSON, written to detector.json and read back by the registry.</summary>
    internal abstract JsonNode OptionsJson();

    /// <summary>Every tensor a checkpoint needs: weights and feature statistics, by name.</summary>
    internal abstract IEnumerable<KeyValuePair<string, Tensor>> StateTensors();

    /// <summary>Builds the network for <paramref name="featureDimension"/> and copies the saved tensors in, naming any bad one.</summary>
    internal abstract void LoadState(string source, IReadOnlyDictionary<string, Tensor> tensors, int featureDimension);

    protected void EnsureFitted()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!IsFitted)
            throw new InvalidOperationException($"{Name}: call Fit (or load a checkpoint) before Scores.");
    }

    protected abstract void DisposeTensors();

    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        DisposeTensors();
        GC.SuppressFinalize(this);
    }
}
