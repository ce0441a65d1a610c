using Robotics.Policies.Configuration;
using static TorchSharp.torch;

namespace Robotics.Policies.Nn;

/// <summary>
/// What the trainer and the inference wrapper need from any registered policy network: a training loss on a
/// normalised batch, and a normalised action chunk plus the failure-detector feature vector for a batch of
/// observations.
/// </summary>
public abstract class PolicyNetwork(string name, PolicyConfig config) : nn.Module(name)
{
    public PolicyConfig Config { get; } = config;

    /// <summary>Parameters by their state-dict names (the safetensors keys).</summary>
    public IEnumerable<(string Name, Tensor Param)> NamedParameters() => named_parameters().Select(p => (p.name, (Tensor)p.parameter));

    /// <summary>
    /// Name prefixes of the parameters that read or write the task's own spaces (state and action projections, task
    /// ids, observation prediction): what fine-tuning with a frozen trunk still trains (`robotics train --init
    /// --freeze-trunk`).
    /// </summary>
    public virtual IReadOnlyList<string> HeadPrefixes => [];

    /// <summary>
    /// Whether episodes without actions teach this network anything (a world-model head predicting future
    /// observations does; plain behaviour cloning does not). Training refuses action-free corpora otherwise.
    /// </summary>
    public virtual bool LearnsFromActionFreeData => false;

    /// <summary>Length of the feature vector <see cref="Predict"/> returns.</summary>
    public abstract int FeatureDimension { get; }

    /// <param name="generator">Every random draw of the step (noise, sigmas, routing, dropout) comes from it.</param>
    public abstract LossReport ComputeLoss(PolicyBatch batch, Generator generator);

    /// <summary>Called by the trainer after every optimiser step: drop whatever was derived from the old weights (e.g. fused-expert caches).</summary>
    public virtual void OnWeightsChanged()
    {
    }

    /// <returns>Actions (B, H, A) in normalised units and features (B, F).</returns>
    public abstract (Tensor Actions, Tensor Features) Predict(PolicyBatch batch, Generator generator, CancellationToken cancellationToken = default);
}
