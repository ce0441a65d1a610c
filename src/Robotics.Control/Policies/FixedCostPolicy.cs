using System.Diagnostics;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;

namespace Robotics.Control.Policies;

/// <summary>
/// A stand-in for benchmarks: costs a fixed time per call (busy-waits, like a model would occupy a core) and
/// returns a constant action chunk. Measures the loop, not a model.
/// </summary>
public sealed class FixedCostPolicy : IChunkPolicy
{
    private readonly TimeSpan _cost;
    private readonly float _value;

    public FixedCostPolicy(int stateDim, int actionDim, TimeSpan cost, int horizon = 16, int executed = 8, float value = 0f)
    {
        _cost = cost;
        _value = value;
        PredictionHorizon = horizon;
        ExecutedSteps = executed;
        Shape = new ShapeSpec([new FeatureSpec(FeatureKeys.State, DType.Float32, [stateDim])], new FeatureSpec(FeatureKeys.Action, DType.Float32, [actionDim]));
    }

    public ShapeSpec Shape { get; }
    public int PredictionHorizon { get; }
    public int ExecutedSteps { get; }
    public int FeatureDimension => 1;

    public void Reset()
    {
    }

    public void Observe(PolicyObservation observation)
    {
    }

    public PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < _cost)
            Thread.SpinWait(50);
        int dim = Shape.Action.ElementCount;
        var actions = new float[PredictionHorizon][];
        for (int i = 0; i < actions.Length; i++)
            actions[i] = Enumerable.Repeat(_value, dim).ToArray();
        return new PolicyChunk(actions, [0f], Stopwatch.GetElapsedTime(started));
    }

    public void Dispose()
    {
    }
}
