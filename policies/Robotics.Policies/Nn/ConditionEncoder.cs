using Robotics.Policies.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// Encodes what a policy is conditioned on into tokens: [task, obs_1 .. obs_n] (B, 1 + n_obs, D).
/// Each observation frame is one token: its projected state (linear, or a 2-layer MLP) plus, when cameras exist, the FiLM-conditioned
/// image features of every camera (cameras told apart by a learned camera embedding).
/// </summary>
public sealed class ConditionEncoder : Module
{
    private readonly TaskEncoder task;
    private readonly Module<Tensor, Tensor> state;
    private readonly ImageEncoder? image;
    private readonly Parameter? camera;
    private readonly double goalDropout;
    private readonly double idDropout;

    public ConditionEncoder(PolicyConfig config, string name = "condition") : base(name)
    {
        task = new TaskEncoder(config.TaskCount, config.TextBuckets, config.Width);
        // "mlp" gives the state a nonlinear path of its own before attention (cheap: one token per frame).
        state = config.StateEncoder == PolicyConfig.MlpStateEncoder
            ? Sequential(Linear(config.StateDim, config.Width), GELU(), Linear(config.Width, config.Width))
            : Linear(config.StateDim, config.Width);
        if (config.Cameras.Count > 0)
        {
            image = new ImageEncoder(config.ImageShape[2], config.Width);
            camera = Parameter(zeros(config.Cameras.Count, config.Width));
        }

        goalDropout = config.GoalDropout;
        idDropout = config.TaskIdDropout;
        TokenCount = 1 + config.ObservationHistory;
        RegisterComponents();
    }

    public int TokenCount { get; }

    /// <param name="training">A generator for task dropout in training; null at inference.</param>
    public Tensor Forward(PolicyBatch batch, Generator? training)
    {
        var dropout = training is null ? null : new TaskDropout(goalDropout, idDropout, training, batch.Shard);
        var taskToken = task.Forward(batch.TaskIndex, batch.TextIds, batch.TextOffsets, dropout);
        var frames = state.forward(batch.State);
        if (image is not null && batch.Images is not null)
        {
            long b = batch.Images.shape[0], n = batch.Images.shape[1], cams = batch.Images.shape[2];
            var flat = batch.Images.reshape(b * n * cams, batch.Images.shape[3], batch.Images.shape[4], batch.Images.shape[5]);
            var perImageTask = taskToken.unsqueeze(1).expand(b, n * cams, taskToken.shape[1]).reshape(b * n * cams, -1);
            var features = image.Forward(flat, perImageTask).view(b, n, cams, -1) + camera!.view(1, 1, cams, -1);
            frames = frames + features.sum(2);
        }

        return cat([taskToken.unsqueeze(1), frames], 1);
    }
}
