using Robotics.Core.Policies;
using Robotics.Core.Shapes;

namespace Robotics.Control.Tests.Fakes;

/// <summary>
/// Plans a straight line to the target in the state (a stand-in with the IChunkPolicy contract). Optional fixed
/// delay per call and a NaN switch, to provoke overruns and monitor alarms.
/// </summary>
public sealed class TargetPolicy(int horizon = 8, int executed = 4) : IChunkPolicy
{
    private int _calls;

    public TimeSpan Delay { get; set; }
    public int NanAfterCalls { get; set; } = int.MaxValue;
    public int Resets { get; private set; }
    public int Calls => Volatile.Read(ref _calls);
    public bool Constant { get; set; }

    /// <summary>Rows are the poses along the planned line (for absolute-mode arms) instead of the moves.</summary>
    public bool Absolute { get; set; }

    public ShapeSpec Shape { get; } = new([new FeatureSpec(FeatureKeys.State, DType.Float32, [4])], new FeatureSpec(FeatureKeys.Action, DType.Float32, [2]));
    public int PredictionHorizon => horizon;
    public int ExecutedSteps => executed;
    public int FeatureDimension => 1;

    /// <summary>Steps seen since the last reset, in the order they reached the policy (Observe and PredictChunk alike).</summary>
    public List<long?> SeenSteps { get; } = [];

    /// <summary>Steps on which a chunk was asked for since the last reset.</summary>
    public List<long?> PredictedSteps { get; } = [];

    public void Reset()
    {
        Resets++;
        lock (SeenSteps)
        {
            SeenSteps.Clear();
            PredictedSteps.Clear();
        }
    }

    public void Observe(PolicyObservation observation)
    {
        lock (SeenSteps)
            SeenSteps.Add(observation.Step);
    }

    public PolicyChunk PredictChunk(PolicyObservation observation, CancellationToken cancellationToken = default)
    {
        int call = Interlocked.Increment(ref _calls);
        lock (SeenSteps)
        {
            SeenSteps.Add(observation.Step);
            PredictedSteps.Add(observation.Step);
        }

        if (Delay > TimeSpan.Zero)
            Thread.Sleep(Delay);
        var s = observation.Features[FeatureKeys.State].ToFloats();
        float x = s[0], y = s[1];
        var actions = new float[horizon][];
        for (int i = 0; i < horizon; i++)
        {
            float ax = Constant ? 0.5f : Math.Clamp((s[2] - x) * 10f, -1f, 1f);
            float ay = Constant ? 0.25f : Math.Clamp((s[3] - y) * 10f, -1f, 1f);
            if (call > NanAfterCalls)
                ax = float.NaN;
            x += 0.1f * ax;
            y += 0.1f * ay;
            actions[i] = Absolute ? [x, y] : [ax, ay];
        }

        return new PolicyChunk(actions, [call], Delay);
    }

    public void Dispose()
    {
    }
}
