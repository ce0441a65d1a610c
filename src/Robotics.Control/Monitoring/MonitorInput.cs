using Robotics.Protocol.Messages;

namespace Robotics.Control.Monitoring;

/// <summary>What a failure monitor sees each cycle: the observation the action answers, the action about to be sent, and the policy features of the current chunk (empty if none).</summary>
public sealed record MonitorInput(ObservationMessage Observation, float[] Action, long Step, float[] PolicyFeatures);
