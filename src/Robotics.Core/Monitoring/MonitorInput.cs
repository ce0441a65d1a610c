namespace Robotics.Core.Monitoring;

/// <summary>
/// What a failure monitor sees each cycle: the robot's state in the observation the action answers, the action about
/// to be sent, the step, and the features of the policy call the action comes from with that call's number in the
/// episode (a detector that scores calls, like SAFE, acts when the number changes; empty features if none).
/// </summary>
public sealed record MonitorInput(float[] State, float[] Action, long Step, float[] PolicyFeatures, long PolicyCall = 0);
