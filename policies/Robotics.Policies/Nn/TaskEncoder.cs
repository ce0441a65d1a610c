using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Robotics.Policies.Nn;

/// <summary>
/// One task token from the task id AND the instruction text: id embedding (index TaskCount = "no id") plus the
/// mean of the instruction's hashed n-gram embeddings. In training, goal dropout replaces the whole token by a
/// learned null token (classifier-free style), and id dropout hides the id alone so that the text path learns
/// to carry the task by itself (instructions never seen in training still map somewhere sensible).
/// </summary>
public sealed class TaskEncoder : Module
{
    private readonly Embedding task_id;
    private readonly EmbeddingBag text;
    private readonly Parameter null_token;

    public TaskEncoder(int taskCount, int textBuckets, int width, string name = "task_encoder") : base(name)
    {
        TaskCount = taskCount;
        task_id = Embedding(taskCount + 1, width);
        text = EmbeddingBag(textBuckets, width, mode: TorchSharp.EmbeddingBagMode.Mean);
        null_token = Parameter(zeros(width));
        RegisterComponents();
    }

    public int TaskCount { get; }

    /// <param name="taskIndex">(B) long; values outside [0, TaskCount) mean "no id".</param>
    /// <param name="textIds">Flat hashed n-gram ids of all instructions.</param>
    /// <param name="textOffsets">(B) start of each sample's ids in <paramref name="textIds"/>.</param>
    /// <param name="dropout">Goal and id dropout probabilities with a generator; null at inference.</param>
    /// <returns>(B, D).</returns>
    public Tensor Forward(Tensor taskIndex, Tensor textIds, Tensor textOffsets, TaskDropout? dropout)
    {
        long batch = taskIndex.shape[0];
        // Scalars held for the whole call: TorchSharp frees an implicitly converted Scalar in its finalizer, which can
        // run while the native call that got its handle still reads it (a 36000-step run crashed in masked_fill here).
        using var zero = 0L.ToScalar();
        using var none = ((long)TaskCount).ToScalar();
        var ids = taskIndex.where(taskIndex.ge(zero) & taskIndex.lt(none), TaskCount);
        if (dropout is not null)
        {
            using var idProbability = dropout.IdProbability.ToScalar();
            var hideId = ShardedRandom.Rand([batch], dropout.Generator, ids.device, dropout.Shard).lt(idProbability);
            ids = ids.masked_fill(hideId, none);
        }

        var token = task_id.forward(ids);
        if (textIds.shape[0] > 0)
        {
            // Samples without text get an empty bag, which EmbeddingBag's mean mode returns as zeros.
            token = token + text.forward(textIds, textOffsets, null);
        }

        if (dropout is not null)
        {
            using var goalProbability = dropout.GoalProbability.ToScalar();
            var drop = ShardedRandom.Rand([batch], dropout.Generator, ids.device, dropout.Shard).lt(goalProbability).unsqueeze(-1);
            token = token.where(drop.logical_not(), null_token.unsqueeze(0).expand_as(token));
        }

        return token;
    }
}
