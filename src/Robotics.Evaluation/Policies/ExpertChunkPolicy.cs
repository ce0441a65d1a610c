using System.Diagnostics;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Sims.Agents;
using Robotics.Sims.Environments;

namespace Robotics.Evaluation.Policies;

/// <summary>
/// A policy around an environment's scripted expert: one action per call (the expert is closed-loop, so it replans
/// every step). The reference row of a sweep, and a stand-in that lets the host be exercised before a trained policy exists.
/// </summary>
public sealed class ExpertChunkPolicy(EnvironmentSpec spec, IAgent expert) : IChunkPolicy
{
    private long _episodes;

    public ShapeSpec Shape { get; } = spec.ToShapeSpec();
    public int PredictionHorizon => 1;
    public int ExecutedSteps => 1;
    public int FeatureDimension => 0;

    /// <summary>The expert itself: fault injection (e.g. a wrong target) acts on it directly.</summary>
    public IAgent Agent => expert;

    public void Reset() => expert.Reset(_episodes++);

    public void Reset(long episodeSeed) => expert.Reset(episodeSeed);

    /// <summary>The expert's phase (e.g. pushing or approaching) follows every step, so it acts on skipped steps too.</summary>
    public void Observe(PolicyObservation observation) => expert.Act(observation.Features[FeatureKeys.State].ToFloats());

    public PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var action = expert.Act(observation.Features[FeatureKeys.State].ToFloats());
        return new PolicyChunk([action], [], Stopwatch.GetElapsedTime(started));
    }

    public void Dispose()
    {
    }
}
