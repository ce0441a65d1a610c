namespace Robotics.Cli.Commands.Demo;

/// <summary>report.json of `robotics demo`.</summary>
public sealed record DemoReport(DateTimeOffset Created, double TotalSeconds, string Preset, int TrainSteps, int DatasetEpisodes,
    IReadOnlyList<DemoPolicyRow> Policies, IReadOnlyList<DemoTaskRow> Tasks, IReadOnlyList<DemoStage> Stages, IReadOnlyList<DemoControlRun> Control,
    DemoDetectorReport? Detector = null);
