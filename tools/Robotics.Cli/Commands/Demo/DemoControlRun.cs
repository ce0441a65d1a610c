using Robotics.Control.Metrics;

namespace Robotics.Cli.Commands.Demo;

/// <summary>The control host's metrics for one policy's episodes.</summary>
public sealed record DemoControlRun(string Policy, MetricsSummary Summary);
