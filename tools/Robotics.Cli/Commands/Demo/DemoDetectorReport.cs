namespace Robotics.Cli.Commands.Demo;

/// <summary>
/// The demo's detector stage: the shipped SAFE detector in the control host on episodes where the simulated arm
/// injects faults in about half; counts of alarms in faulted and clean episodes, and where the score curves are.
/// </summary>
public sealed record DemoDetectorReport(
    string Detector,
    string Kind,
    double Alpha,
    string Environment,
    double FailureRate,
    IReadOnlyList<DemoDetectorEpisode> Episodes,
    string Plot)
{
    public int Faulted => Episodes.Count(e => e.Fault is not null);
    public int FaultedAlarms => Episodes.Count(e => e.Fault is not null && e.AlarmStep is not null);
    public int Clean => Episodes.Count(e => e.Fault is null);
    public int CleanAlarms => Episodes.Count(e => e.Fault is null && e.AlarmStep is not null);

    /// <summary>Clean episodes whose task was solved (by the end, or before the alarm): an alarm in one of these is a false alarm.</summary>
    public int CleanSolved => Episodes.Count(e => e.Fault is null && e.Success);

    public int CleanSolvedAlarms => Episodes.Count(e => e.Fault is null && e.Success && e.AlarmStep is not null);
}
