using Robotics.Core.Monitoring;

namespace Robotics.Control.Monitoring;

/// <summary>Alarms on NaN/Inf actions or states and on any |state| above a limit; score = max |state| / limit.</summary>
public sealed class BoundsMonitor(double stateLimit) : IFailureMonitor
{
    public string Name => "bounds";

    public void Reset()
    {
    }

    public MonitorVerdict Check(MonitorInput input)
    {
        foreach (float a in input.Action)
        {
            if (!float.IsFinite(a))
                return new MonitorVerdict(double.PositiveInfinity, true, $"non-finite action at step {input.Step}");
        }

        double worst = 0;
        var state = input.State;
        for (int i = 0; i < state.Length; i++)
        {
            if (!float.IsFinite(state[i]))
                return new MonitorVerdict(double.PositiveInfinity, true, $"non-finite state[{i}] at step {input.Step}");
            worst = Math.Max(worst, Math.Abs(state[i]));
        }

        double score = stateLimit > 0 ? worst / stateLimit : 0;
        return score > 1 ? new MonitorVerdict(score, true, $"state out of bounds at step {input.Step}: |{worst:g4}| > {stateLimit:g4}") : new MonitorVerdict(score, false);
    }
}
