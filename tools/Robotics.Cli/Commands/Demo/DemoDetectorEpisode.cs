namespace Robotics.Cli.Commands.Demo;

/// <summary>
/// One episode of the demo's detector stage: the fault the simulated arm injected (null: clean) and when, the step of
/// the detector's first alarm (null: none; the host then ended the episode), and whether the task was solved by the
/// end (by the alarm, for stopped episodes).
/// </summary>
public sealed record DemoDetectorEpisode(long Episode, int Task, string? Fault, int? FaultStep, long? AlarmStep, bool Success, long Steps);
