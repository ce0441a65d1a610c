using System.ComponentModel.DataAnnotations;

namespace Robotics.Control.Options;

/// <summary>The control host's behaviour (configuration section "Control"); validated before anything starts.</summary>
public sealed class ControlOptions
{
    public const string SectionName = "Control";

    /// <summary>Control clock rate: one action row sent per tick.</summary>
    [Range(5, 100)]
    public double RateHz { get; set; } = 50;

    /// <summary>Replan after this many executed steps; 0 uses the policy's ExecutedSteps.</summary>
    [Range(0, 1000)]
    public int ReplanEverySteps { get; set; }

    /// <summary>How overlapping chunks combine: a registered <see cref="Chunks.ChunkMergeRules"/> name ("replace", "blend").</summary>
    [Required]
    public string MergeRule { get; set; } = "blend";

    /// <summary>Weight of the newer chunk for "blend" (LeRobot's default 0.7).</summary>
    [Range(0.0, 1.0)]
    public double BlendNewWeight { get; set; } = 0.7;

    /// <summary>No observation for this long while running or backtracking: stop.</summary>
    [Range(20, 60_000)]
    public int WatchdogTimeoutMs { get; set; } = 500;

    /// <summary>What an inference overrun (no action ready at a tick) does: "hold" (send nothing, the robot holds) or "stop".</summary>
    [RegularExpression("^(hold|stop)$", ErrorMessage = "Control:OverrunPolicy must be 'hold' or 'stop'.")]
    public string OverrunPolicy { get; set; } = "hold";

    /// <summary>What a failure-monitor alarm does: "stop" or "backtrack".</summary>
    [RegularExpression("^(stop|backtrack)$", ErrorMessage = "Control:FailureAction must be 'stop' or 'backtrack'.")]
    public string FailureAction { get; set; } = "stop";

    /// <summary>Executed steps retraced by a backtrack command that does not say how many.</summary>
    [Range(1, 100_000)]
    public int BacktrackSteps { get; set; } = 20;

    /// <summary>A tick that sends later than this fraction of the period after its scheduled time is a deadline miss.</summary>
    [Range(0.01, 1.0)]
    public double DeadlineFraction { get; set; } = 0.5;

    /// <summary>
    /// Idle -> Running on its own once a robot has said hello and sent an observation. Only ever from Idle: a stop is
    /// latched and never lifted by auto start. A robot that says hello again while Running (it restarted or
    /// reconnected) moves the host Running -> Idle with fresh bookkeeping, so with auto start on it runs again at once;
    /// with it off the host stays Idle until an operator sends start.
    /// </summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>
    /// After a watchdog stop, resume on its own once observations flow again (the same robot recovered from a stall,
    /// or a restarted robot reconnected). Off by default: the stop is latched like any other and waits for an operator's
    /// resume, start or reset. Never applies to operator, monitor, overrun or policy-failure stops.
    /// </summary>
    public bool ResumeAfterWatchdog { get; set; }

    /// <summary>
    /// After a failure-monitor stop, record the episode as ended by the monitor and reset the robot into its next
    /// episode (then auto start, if on). For simulators and supervised evaluation benches, where the scene reset is
    /// what an operator would do after inspecting the alarm: SAFE's protocol ends an episode at its first alarm. Off
    /// by default: a monitor stop is latched like any other and waits for an operator.
    /// </summary>
    public bool ResetAfterMonitorStop { get; set; }

    /// <summary>
    /// Keep every cycle's monitor score of an episode (step, score, alarm) in its metrics record, for plotting score
    /// curves; off by default (about 6 KB per 200-step episode in the metrics file).
    /// </summary>
    public bool RecordMonitorTrace { get; set; }

    /// <summary>Failure monitor by registered name ("bounds"; "none" disables).</summary>
    [Required]
    public string Monitor { get; set; } = "bounds";

    /// <summary>The bounds monitor alarms when any |state| exceeds this.</summary>
    [Range(0.0, 1e9)]
    public double StateLimit { get; set; } = 100;

    /// <summary>Seconds between periodic metrics log lines; 0 turns them off.</summary>
    [Range(0, 3600)]
    public double MetricsLogIntervalSeconds { get; set; } = 10;

    /// <summary>Write the summary and per-episode records here (JSON) when the host stops.</summary>
    public string? MetricsFile { get; set; }

    /// <summary>Stop the host after this many finished episodes (0: run until stopped).</summary>
    [Range(0, 1_000_000)]
    public int StopAfterEpisodes { get; set; }

    public TimeSpan Period => TimeSpan.FromSeconds(1.0 / RateHz);
}
