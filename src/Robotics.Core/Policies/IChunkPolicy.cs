using Robotics.Core.Shapes;

namespace Robotics.Core.Policies;

/// <summary>
/// What the control loop and evaluators call. A policy keeps its own observation history (it is
/// stateful within an episode); <see cref="Reset"/> starts a new episode. Implementations live in
/// policies/; TorchSharp types never appear here.
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

    PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default);
}
