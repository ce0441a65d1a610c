using Robotics.Core.Shapes;

namespace Robotics.Core.Policies;

/// <summary>
/// What the control loop and evaluators call. A policy keeps its own observation history (it is
/// stateful within an episode); <see cref="Reset"/> starts a new episode. Implementations live in
/// policies/; TorchSharp types never appear here.
/// <para>Every executed step's observation reaches the policy exactly once, in step order: through
/// <see cref="PredictChunk"/> on the steps where a chunk is asked for and through <see cref="Observe"/> on
/// the others. A policy trained on windows of consecutive frames (t-1, t) therefore sees the same frames at
/// run time however often it is called.</para>
/// </summary>
public interface IChunkPolicy : IDisposable
{
    ShapeSpec Shape { get; }

    /// <summary>Actions predicted per call.</summary>
    int PredictionHorizon { get; }

    /// <summary>Actions meant to be executed before the next call.</summary>
    int ExecutedSteps { get; }

    /// <summary>Length of <see cref="PolicyChunk.Features"/>.</summary>
    int FeatureDimension { get; }

    void Reset();

    /// <summary>
    /// Starts a new episode whose random choices (e.g. diffusion sampling noise) come from <paramref name="episodeSeed"/>
    /// alone, so an evaluation episode is the same whichever worker, shard or order runs it. Policies without
    /// randomness need not override it.
    /// </summary>
    void Reset(long episodeSeed) => Reset();

    /// <summary>Records the observation of an executed step on which no chunk is asked for.</summary>
    void Observe(PolicyObservation observation);

    /// <summary>Records <paramref name="observation"/> as the current step, then predicts a chunk from the history.</summary>
    PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default);
}
