using Robotics.Sims.Failures;

namespace Robotics.Cli.Commands.RobotSim;

/// <summary>
/// One episode of the simulated arm as it starts: its seed (episode e of a run with base seed s has seed s + e), task
/// and the fault drawn for it (null: clean). The ground truth a detector's alarms are read against; the outcome is in
/// the host's metrics.
/// </summary>
public sealed record ArmEpisode(long Seed, int Task, FailurePlan? Fault);
