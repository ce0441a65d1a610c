using Robotics.Policies.Configuration;
using Robotics.Policies.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.MlpBc;

/// <summary>
/// The MLP behaviour-cloning baseline: the same conditioning tokens as MoDE, flattened, through a GELU MLP that
/// regresses the whole normalised action chunk (masked MSE). Features: the last hidden layer's activations.
/// </summary>
public sealed class MlpBcNetwork : PolicyNetwork
{
    private readonly ConditionEncoder condition;
    private readonly ModuleList<Linear> hidden;
    private readonly Linear output;

    public MlpBcNetwork(PolicyConfig config) : base("mlp_bc", config)
    {
        condition = new ConditionEncoder(config);
        int input = condition.TokenCount * config.Width;
        var layers = new List<Linear>();
        for (int i = 0; i < config.Options<MlpBcOptions>().Layers; i++)
            layers.Add(Linear(i == 0 ? input : config.Options<MlpBcOptions>().Hidden, config.Options<MlpBcOptions>().Hidden));
        hidden = new ModuleList<Linear>(layers.ToArray());
        output = Linear(config.Options<MlpBcOptions>().Hidden, config.Horizon * config.ActionDim);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HeadPrefixes => ["output.", "condition.state.", "condition.task.task_id."];

    public override int FeatureDimension => Config.Options<MlpBcOptions>().Hidden;

    public override LossReport ComputeLoss(PolicyBatch batch, Generator generator)
    {
        var actions = batch.Actions ?? throw new ArgumentException("A training batch needs actions.");
        var (predicted, _) = Run(batch, generator);
        var weight = batch.ActionMask ?? ones(batch.Size, Config.Horizon, device: actions.device);
        if (batch.HasActions is not null)
            weight = weight * batch.HasActions.unsqueeze(-1);
        var err = (predicted - actions).square().mean([-1]);
        using var one = 1.0.ToScalar(); // held: an implicit Scalar can be finalized mid-call
        var loss = (err * weight).sum() / weight.sum().clamp_min(one);
        return new LossReport(loss, new Dictionary<string, Tensor> { ["action"] = loss.detach() });
    }

    public override (Tensor Actions, Tensor Features) Predict(PolicyBatch batch, Generator generator, CancellationToken cancellationToken = default)
    {
        using var _ = no_grad();
        return Run(batch, null);
    }

    private (Tensor Actions, Tensor Features) Run(PolicyBatch batch, Generator? training)
    {
        var x = condition.Forward(batch, training).flatten(1);
        foreach (var layer in hidden)
            x = functional.gelu(layer.forward(x));
        return (output.forward(x).view(-1, Config.Horizon, Config.ActionDim), x);
    }
}
