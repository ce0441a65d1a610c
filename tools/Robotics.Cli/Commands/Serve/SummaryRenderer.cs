using Robotics.Control.Metrics;
using Spectre.Console;

namespace Robotics.Cli.Commands.Serve;

/// <summary>The exit summary of a control host run as console tables.</summary>
public static class SummaryRenderer
{
    public static void Write(IAnsiConsole console, MetricsSummary s)
    {
        var table = new Table().AddColumns("metric", "p50 ms", "p99 ms", "max ms", "n");
        void Row(string name, Percentiles p) => table.AddRow(name, $"{p.P50:F3}", $"{p.P99:F3}", $"{p.Max:F3}", $"{p.Count}");
        Row("latency (observation received -> action sent)", s.Latency);
        Row("processing (tick -> action sent)", s.Processing);
        Row("round trip (action sent -> its result observed)", s.RoundTrip);
        Row("inference", s.Inference);
        Row("clock jitter (actual - scheduled tick)", s.Jitter);
        console.Write(table);
        console.MarkupLineInterpolated($"cycles {s.Cycles} at {s.RateHz:0.#} Hz; deadline misses {s.DeadlineMisses}; overruns {s.Overruns}; conflated observations {s.ConflatedObservations}; rejected observations {s.RejectedObservations}; monitor alarms {s.MonitorAlarms} (max score {s.MonitorMaxScore:0.###}); watchdog stops {s.WatchdogStops}; final state {s.FinalState}");
        if (s.Episodes.Count == 0)
            return;
        var byTask = new Table().AddColumns("task", "episodes", "success rate", "mean latency ms");
        foreach (var group in s.Episodes.GroupBy(e => e.TaskIndex).OrderBy(g => g.Key))
            byTask.AddRow(group.Key?.ToString() ?? "-", $"{group.Count()}", $"{group.Count(e => e.Success) / (double)group.Count():P0}", $"{group.Average(e => e.MeanLatencyMs):F3}");
        console.Write(byTask);
    }
}
