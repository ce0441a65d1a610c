using Robotics.Core.Monitoring;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Robotics.Control.Chunks;
using Robotics.Control.Metrics;
using Robotics.Control.Monitoring;
using Robotics.Control.Options;
using Robotics.Control.StateMachine;
using Robotics.Core.Arrays;
using Robotics.Protocol;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Services;

/// <summary>
/// The control clock. Each tick: apply operator commands, check the watchdog, and (Running) send the planned action
/// for the robot's current step, or (Backtracking) the current retrace action. One action message per fresh observation.
/// On shutdown (Ctrl+C, SIGTERM) the robot is told to stop before exit.
/// <para>A stop is latched: the host stays Stopped across robot reconnects until an operator sends resume, start or
/// reset (or, for watchdog stops only, <see cref="ControlOptions.ResumeAfterWatchdog"/>), and a robot joining while
/// Stopped is told to stop at once. A robot joining while Running is a fresh start: Running -> Idle, then auto start.</para>
/// </summary>
public sealed class ControlLoopService : BackgroundService
{
    /// <summary>How long a backtrack waits for the robot to report our last forward row before planning without it.</summary>
    private const long BacktrackSettleNs = 250_000_000;

    private readonly ControlOptions _options;
    private readonly RobotLink _link;
    private readonly InferenceService _inference;
    private readonly ChunkBuffer _buffer;
    private readonly IFailureMonitor _monitor;
    private readonly ControlMetrics _metrics;
    private readonly ControlStateMachine _state;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ControlLoopService> _logger;
    private readonly int _replanEvery;
    private readonly long _watchdogNs;
    private readonly long _deadlineNs;
    private readonly List<ExecutedStep> _history = [];
    private readonly Dictionary<long, float[]> _sentRows = [];
    private readonly List<MonitorSample> _monitorTrace = [];
    private bool _tracking;
    private long _trackedEpisode;
    private long _trackedStep;
    private long _lastForwardStep = -1;
    private Queue<float[]> _backtrackPlan = new();
    private int _backtrackRequested;
    private bool _backtrackPlanned;
    private long _backtrackStartedNs;
    private long _backtrackEpisode;
    private float[]? _retraceRow;
    private long _retraceStep;
    private long _episode = -1;
    private bool _episodeRecorded;
    private bool _haveChunkThisEpisode;
    private long _episodeSteps;
    private int _episodeLatencyIndex;
    private long _nextReplanStep;
    private ulong _lastAnsweredSequence;
    private long _chunkId;
    private int? _taskOverride;
    private string? _instructionOverride;
    private long _robotGeneration;
    private bool _stoppedByWatchdog;
    private long _tickDeadlineNs;
    private long _tickStartNs;
    private long _lastSentStep = -2;
    private long _lastSentNs;
    private bool _overrunThisTick;
    private long _lastLogTimestamp = Stopwatch.GetTimestamp();

    public ControlLoopService(IOptions<ControlOptions> options, RobotLink link, InferenceService inference, ChunkBuffer buffer,
        IFailureMonitor monitor, ControlMetrics metrics, ControlStateMachine state, IHostApplicationLifetime lifetime, ILogger<ControlLoopService> logger)
    {
        _options = options.Value;
        _link = link;
        _inference = inference;
        _buffer = buffer;
        _monitor = monitor;
        _metrics = metrics;
        _state = state;
        _lifetime = lifetime;
        _logger = logger;
        _replanEvery = _options.ReplanEverySteps > 0 ? _options.ReplanEverySteps : Math.Max(1, inference.Policy.ExecutedSteps);
        _watchdogNs = _options.WatchdogTimeoutMs * 1_000_000L;
        _deadlineNs = (long)(_options.Period.TotalSeconds * _options.DeadlineFraction * 1e9);
        _state.Changed += (from, to, reason) => _logger.LogInformation("state {From} -> {To}: {Reason}", from, to, reason);
    }

    public ControlStateMachine State => _state;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // The clock thread has ended: tell the robot to hold, and give the transport a moment to put it on the wire.
        if (_link.Robot is not null)
        {
            long sentBefore = _link.Endpoint.Counters.Sent;
            _link.SendToRobot(new CommandMessage(CommandKind.Stop));
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
            while (_link.Endpoint.Counters.Sent == sentBefore && Stopwatch.GetTimestamp() < deadline)
                await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
            _logger.LogInformation("sent stop to the robot before exit");
        }

        var summary = _metrics.Summarize(_options.RateHz, _state.State.ToString());
        _logger.LogInformation("summary: {Line}", _metrics.LogLine(_options.RateHz, _state.State.ToString()));
        if (_options.MetricsFile is not null)
            MetricsWriter.Write(_options.MetricsFile, summary);
    }

    private void Run(CancellationToken stoppingToken)
    {
        var clock = new SteadyClock(_options.Period);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var tick = clock.WaitNext(stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                    break;
                for (long i = 0; i < tick.Skipped; i++)
                    _metrics.AddCycle(0, null, deadlineMiss: _state.State is ControlState.Running or ControlState.Backtracking);
                _tickDeadlineNs = MonotonicClock.TicksToNs(tick.ScheduledTimestamp) + _deadlineNs;
                _tickStartNs = MonotonicClock.TicksToNs(tick.ActualTimestamp);
                _overrunThisTick = false;
                long? latency = Cycle();
                _metrics.AddCycle(tick.JitterNs, latency, deadlineMiss: tick.JitterNs > _deadlineNs || _overrunThisTick);
                MaybeLogMetrics();
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // An unexpected fault on the clock: hold the robot, loudly, and bring the host down.
            _logger.LogCritical(e, "control loop failed; stopping the robot");
            _link.SendToRobot(new CommandMessage(CommandKind.Stop));
            _lifetime.StopApplication();
        }
    }

    /// <summary>One tick; returns the observation-to-action latency when an action was sent.</summary>
    private long? Cycle()
    {
        DrainCommands();
        // Sample first, generation second: a sample cleared by a rejoin is then always seen together with the rejoin.
        var sample = _link.Latest;
        long generation = _link.RobotGeneration;
        if (generation != _robotGeneration)
        {
            _robotGeneration = generation;
            OnRobotJoined();
            sample = _link.Latest;
        }

        TrackExecuted(sample);
        var state = _state.State;
        if (state is ControlState.Running or ControlState.Backtracking)
        {
            if (sample is null || MonotonicClock.NowNs() - sample.ReceivedNs > _watchdogNs)
            {
                _metrics.AddWatchdogStop();
                Stop($"watchdog: no observation for {_options.WatchdogTimeoutMs} ms", byWatchdog: true);
                return null;
            }
        }

        if (state == ControlState.Stopped && _stoppedByWatchdog && _options.ResumeAfterWatchdog
            && sample is not null && MonotonicClock.NowNs() - sample.ReceivedNs < _watchdogNs / 4)
        {
            _logger.LogWarning("observations flow again after the watchdog stop: resuming");
            Apply(new CommandMessage(CommandKind.Resume));
            return null;
        }

        switch (state)
        {
            // Auto start leaves Idle only, never Stopped: a stop is lifted by an operator, not by a robot showing up.
            case ControlState.Idle when _options.AutoStart && sample is not null && _link.Robot is not null:
                // A robot that was told to stop before (same process, new connection) must be released first.
                _link.SendToRobot(new CommandMessage(CommandKind.Resume));
                _state.TryMove(ControlState.Running, "auto start: robot connected");
                return RunCycle(sample);
            case ControlState.Running:
                return RunCycle(sample!);
            case ControlState.Backtracking:
                return BacktrackCycle(sample!);
            case ControlState.Stopping:
                _link.SendToRobot(new CommandMessage(CommandKind.Stop));
                _state.TryMove(ControlState.Stopped, _state.LastReason);
                return null;
            default:
                return null;
        }
    }

    private long? RunCycle(ObservationSample sample)
    {
        var obs = sample.Observation;
        if (_inference.Failed is { } failure)
        {
            Stop($"policy failed: {failure}");
            return null;
        }

        if (obs.Episode != _episode)
            BeginEpisode(sample);
        if (obs.Done)
        {
            FinishEpisode(obs, "robot reported done");
            return null;
        }

        if (_episodeRecorded)
            return null; // ended by the host (monitor stop); nothing more for it until the robot's next episode

        if (sample.Sequence == _lastAnsweredSequence)
            return null; // the robot has not reported the result of our last action yet
        _inference.Observe(sample);
        long step = obs.Step;
        if (step == _lastSentStep + 1)
            _metrics.AddRoundTrip(sample.ReceivedNs - _lastSentNs);
        long chunksBefore = _inference.ChunksProduced;
        _inference.SetCurrentStep(step);
        if (step >= _nextReplanStep && !_inference.InFlight)
        {
            _inference.Request(new InferenceRequest(sample, false, _taskOverride, _instructionOverride));
            _nextReplanStep = step + _replanEvery;
        }

        var rows = _buffer.From(step);
        if (rows.Length == 0 && _inference.InFlight)
        {
            // Inference may still make this tick's deadline: wait for it, but never past the deadline.
            long budgetNs = _tickDeadlineNs - MonotonicClock.NowNs();
            if (budgetNs > 0 && _inference.WaitForChunk(chunksBefore, TimeSpan.FromTicks(budgetNs / 100)))
                rows = _buffer.From(step);
        }

        if (rows.Length == 0)
        {
            // Waiting for the first chunk of an episode (or after a resume) is expected; running dry later is an overrun.
            if (_haveChunkThisEpisode)
                OnOverrun(step);
            return null;
        }

        _haveChunkThisEpisode = true;
        var verdict = _monitor.Check(new MonitorInput(obs.State.ToFloats(), rows[0], step, _inference.LatestFeatures, _inference.ChunksProduced));
        _metrics.AddMonitorScore(verdict.Score, verdict.Alarm);
        if (_options.RecordMonitorTrace)
            _monitorTrace.Add(new MonitorSample(step, verdict.Score, verdict.Alarm));
        if (verdict.Alarm)
        {
            _logger.LogWarning("failure monitor {Monitor}: {Reason}", _monitor.Name, verdict.Reason);
            if (_options.FailureAction == "backtrack")
            {
                StartBacktrack(_options.BacktrackSteps, $"monitor: {verdict.Reason}");
            }
            else
            {
                Stop($"monitor: {verdict.Reason}");
                if (_options.ResetAfterMonitorStop)
                {
                    // The robot already holds (stop went first); the episode ends here, as SAFE ends it at the alarm.
                    FinishEpisode(null, $"monitor: {verdict.Reason}", obs);
                    if (!_lifetime.ApplicationStopping.IsCancellationRequested)
                    {
                        _link.SendToRobot(new CommandMessage(CommandKind.Reset));
                        _state.TryMove(ControlState.Idle, "monitor stop ended the episode: robot reset (Control:ResetAfterMonitorStop)");
                    }
                }
            }

            return null;
        }

        long latency = Send(sample, step, rows, backtrack: false);
        _episodeSteps++;
        return latency;
    }

    /// <summary>
    /// One retrace row at a time, addressed at the robot's current step. The row is sent again (same row, same step)
    /// for every fresh observation that still reports that step, and the next row follows only once the robot reports
    /// a later step, so the robot's re-sent observations neither skip nor repeat a row. The robot's step counter keeps
    /// counting retrace rows (step = actions executed so far, retrace included).
    /// </summary>
    private long? BacktrackCycle(ObservationSample sample)
    {
        var obs = sample.Observation;
        if (!_backtrackPlanned)
        {
            if (sample.Sequence == _lastAnsweredSequence)
                return null;
            // Our last forward row may still be on its way and would be executed before any retrace row: plan once
            // the robot has reported it (it is then in the history), or after a short grace if it never comes.
            if (obs.Step <= _lastForwardStep && MonotonicClock.NowNs() - _backtrackStartedNs < BacktrackSettleNs)
                return null;
            var mode = _link.Robot?.Hello.ActionMode ?? ActionMode.Delta;
            _backtrackPlan = BacktrackPlanner.Plan(_history, _backtrackRequested, mode);
            _backtrackPlanned = true;
            _backtrackEpisode = obs.Episode;
            // Rows planned for later steps will never be executed now.
            _sentRows.Clear();
            _logger.LogInformation("backtrack: retracing {Count} of {Requested} steps ({Mode} actions) from step {Step}",
                _backtrackPlan.Count, _backtrackRequested, mode.ToString().ToLowerInvariant(), obs.Step);
            if (_backtrackPlan.Count == 0)
            {
                Stop("nothing to backtrack: holding");
                return null;
            }
        }

        if (obs.Episode != _backtrackEpisode)
        {
            Stop("robot started a new episode during backtrack: holding");
            return null;
        }

        if (_retraceRow is not null && obs.Step > _retraceStep)
            _retraceRow = null; // executed
        if (_retraceRow is null)
        {
            if (!_backtrackPlan.TryDequeue(out var next))
            {
                Stop("backtrack complete: holding");
                return null;
            }

            _retraceRow = next;
            _retraceStep = obs.Step;
        }

        if (sample.Sequence == _lastAnsweredSequence)
            return null;
        return Send(sample, _retraceStep, [_retraceRow], backtrack: true);
    }

    /// <summary>
    /// Turns the robot's step reports into the executed history: step t counts as executed once the robot reports a
    /// later step of the same episode, with the row for t from the most recent chunk we sent that covered t (a robot
    /// with its own real-time loop may execute several rows of one chunk between reports). Retrace rows are never in
    /// <see cref="_sentRows"/>, so retraced motion does not re-enter the history although the robot's step counts it.
    /// </summary>
    private void TrackExecuted(ObservationSample? sample)
    {
        if (sample is null)
            return;
        var obs = sample.Observation;
        if (!_tracking || obs.Episode != _trackedEpisode || obs.Step < _trackedStep)
        {
            _tracking = true;
            _trackedEpisode = obs.Episode;
            _trackedStep = obs.Step;
            _history.Clear();
            _sentRows.Clear();
            _lastForwardStep = -1;
            return;
        }

        if (obs.Step == _trackedStep)
            return;
        foreach (long t in _sentRows.Keys.Where(k => k < obs.Step).Order().ToArray())
        {
            _history.Add(new ExecutedStep(t, _sentRows[t]));
            _sentRows.Remove(t);
        }

        _trackedStep = obs.Step;
    }

    private long Send(ObservationSample sample, long step, float[][] rows, bool backtrack)
    {
        int dim = rows[0].Length;
        var flat = new float[rows.Length * dim];
        for (int i = 0; i < rows.Length; i++)
            rows[i].CopyTo(flat, i * dim);
        _link.SendToRobot(new ActionChunkMessage(++_chunkId, sample.Observation.Episode, step, _options.Period.TotalSeconds,
            NdArray.FromFloats(flat, rows.Length, dim), (long)sample.Sequence, backtrack));
        if (!backtrack && _tracking && sample.Observation.Episode == _trackedEpisode)
        {
            for (int i = 0; i < rows.Length; i++)
                _sentRows[step + i] = rows[i];
            _lastForwardStep = step;
        }

        _lastAnsweredSequence = sample.Sequence;
        _link.MarkTaken(sample);
        long now = MonotonicClock.NowNs();
        _metrics.AddProcessing(now - _tickStartNs);
        _lastSentStep = step;
        _lastSentNs = now;
        return now - sample.ReceivedNs;
    }

    private void OnOverrun(long step)
    {
        _overrunThisTick = true;
        _metrics.AddOverrun();
        if (_options.OverrunPolicy == "stop")
            Stop($"inference overrun at step {step}");
        else if (_metrics.Overruns <= 10 || _metrics.Overruns % 100 == 0)
            _logger.LogWarning("inference overrun at step {Step}: no action ready, robot holds ({Count} so far)", step, _metrics.Overruns);
    }

    private void BeginEpisode(ObservationSample sample)
    {
        if (_episode >= 0 && !_episodeRecorded && _episodeSteps > 0)
            FinishEpisode(null, "robot started a new episode");
        _episode = sample.Observation.Episode;
        _episodeRecorded = false;
        _haveChunkThisEpisode = false;
        _episodeSteps = 0;
        _episodeLatencyIndex = _metrics.LatencySince(0).Index;
        _buffer.Clear();
        _monitor.Reset();
        _monitorTrace.Clear();
        _inference.SetCurrentStep(sample.Observation.Step);
        _inference.Request(new InferenceRequest(sample, true, _taskOverride, _instructionOverride));
        _nextReplanStep = sample.Observation.Step + _replanEvery;
    }

    /// <summary>
    /// Records the episode. <paramref name="final"/> is the robot's done observation; <paramref name="last"/> the latest
    /// one when the host ends the episode itself (a monitor stop), for its task and success so far.
    /// </summary>
    private void FinishEpisode(ObservationMessage? final, string reason, ObservationMessage? last = null)
    {
        if (_episodeRecorded)
            return;
        _episodeRecorded = true;
        var (index, mean) = _metrics.LatencySince(_episodeLatencyIndex);
        _episodeLatencyIndex = index;
        var seen = final ?? last;
        _metrics.AddEpisode(new EpisodeRecord(_episode, seen?.TaskIndex ?? _taskOverride, seen?.Instruction, seen?.Step ?? _episodeSteps,
            seen?.Success ?? false, mean, reason, _options.RecordMonitorTrace ? [.. _monitorTrace] : null));
        _logger.LogInformation("episode {Episode} finished: {Result} after {Steps} steps", _episode, seen?.Success == true ? "success" : "failure", seen?.Step ?? _episodeSteps);
        if (_options.StopAfterEpisodes > 0 && _metrics.EpisodeCount >= _options.StopAfterEpisodes)
        {
            _logger.LogInformation("{Count} episodes done: stopping the host", _metrics.EpisodeCount);
            _lifetime.StopApplication();
        }
        else if (final is not null)
        {
            _link.SendToRobot(new CommandMessage(CommandKind.Reset));
        }
    }

    private void Stop(string reason, bool byWatchdog = false)
    {
        if (_state.State is ControlState.Stopped or ControlState.Stopping)
            return;
        _buffer.Clear();
        _backtrackPlan.Clear();
        _retraceRow = null;
        // Only a watchdog stop may lift itself (ResumeAfterWatchdog); any other stop waits for an operator.
        _stoppedByWatchdog = byWatchdog;
        if (_state.TryMove(ControlState.Stopping, reason))
        {
            _link.SendToRobot(new CommandMessage(CommandKind.Stop));
            _state.TryMove(ControlState.Stopped, reason);
        }
    }

    private void StartBacktrack(int steps, string reason)
    {
        _buffer.Clear();
        // Planned on the first fresh observation in Backtracking (BacktrackCycle), when the history is complete.
        if (_state.TryMove(ControlState.Backtracking, $"{reason} ({steps} steps)"))
        {
            _backtrackRequested = steps;
            _backtrackPlanned = false;
            _backtrackPlan = new Queue<float[]>();
            _backtrackStartedNs = MonotonicClock.NowNs();
            _retraceRow = null;
            _retraceStep = -1;
        }
    }

    private void OnRobotJoined()
    {
        // Fresh bookkeeping for the new connection; the state is kept (a stop stays latched).
        _lastAnsweredSequence = 0;
        _episode = -1;
        _tracking = false;
        _lastForwardStep = -1;
        _lastSentStep = -2;
        _buffer.Clear();
        _history.Clear();
        _sentRows.Clear();
        switch (_state.State)
        {
            case ControlState.Stopped or ControlState.Stopping:
                // A restarted robot does not know it was stopped: tell it to hold before it acts on anything.
                _link.SendToRobot(new CommandMessage(CommandKind.Stop));
                _logger.LogWarning("robot (re)connected while stopped ({Reason}): told it to stop; waiting for an operator", _state.LastReason);
                break;
            case ControlState.Running:
                // Bookkeeping of the old connection means nothing now; auto start (if on) starts again from scratch.
                _state.TryMove(ControlState.Idle, "robot reconnected");
                break;
            case ControlState.Backtracking:
                // The retrace was planned from the old connection's history: hold instead of guessing.
                Stop("robot reconnected during backtrack");
                break;
        }
    }

    private void DrainCommands()
    {
        while (_link.Commands.TryRead(out var item))
        {
            var (peerId, sequence, command) = item;
            string? refusal = Apply(command);
            _link.SendTo(peerId, refusal is null
                ? new StatusMessage(_state.State.ToString(), $"{command.Command.ToWire()} accepted", _episode, _episodeSteps)
                : new ErrorMessage(ProtocolErrorCode.BadState.ToWire(), refusal, sequence));
        }
    }

    /// <summary>Applies an operator command; returns why it was refused, or null.</summary>
    private string? Apply(CommandMessage command)
    {
        var state = _state.State;
        switch (command.Command)
        {
            case CommandKind.Stop:
                if (state == ControlState.Stopped)
                    return null;
                Stop("operator stop");
                return null;
            case CommandKind.Start or CommandKind.Resume:
                if (state is not (ControlState.Idle or ControlState.Stopped))
                    return $"cannot {command.Command.ToWire()} while {state}";
                // Running with no robot would only trip the watchdog (and latch a stop); a robot joining later would
                // count as a reconnect. The operator starts once the robot is there.
                if (_link.Robot is null)
                    return $"cannot {command.Command.ToWire()}: no robot is connected";
                _link.SendToRobot(new CommandMessage(CommandKind.Resume));
                _lastAnsweredSequence = 0; // answer the robot's current observation again
                _buffer.Clear();
                _haveChunkThisEpisode = false;
                if (_link.Latest is { } sample)
                {
                    _inference.SetCurrentStep(sample.Observation.Step);
                    _inference.Request(new InferenceRequest(sample, false, _taskOverride, _instructionOverride));
                    _nextReplanStep = sample.Observation.Step + _replanEvery;
                }

                _stoppedByWatchdog = false;
                _state.TryMove(ControlState.Running, $"operator {command.Command.ToWire()}");
                return null;
            case CommandKind.Backtrack:
                if (state is not (ControlState.Running or ControlState.Stopped))
                    return $"cannot backtrack while {state}";
                StartBacktrack(command.Steps ?? _options.BacktrackSteps, "operator backtrack");
                return null;
            case CommandKind.Reset:
                _link.SendToRobot(command);
                if (state is ControlState.Running or ControlState.Stopped)
                    _state.TryMove(ControlState.Idle, "operator reset");
                return null;
            case CommandKind.SetTask:
                if (command.TaskIndex is null && command.Instruction is null)
                    return "set_task needs task_index or instruction";
                _taskOverride = command.TaskIndex;
                _instructionOverride = command.Instruction;
                _link.SendToRobot(command);
                return null;
            default:
                return $"unknown command {command.Command}";
        }
    }

    private void MaybeLogMetrics()
    {
        if (_options.MetricsLogIntervalSeconds <= 0)
            return;
        if (Stopwatch.GetElapsedTime(_lastLogTimestamp).TotalSeconds < _options.MetricsLogIntervalSeconds)
            return;
        _lastLogTimestamp = Stopwatch.GetTimestamp();
        _logger.LogInformation("metrics: {Line}", _metrics.LogLine(_options.RateHz, _state.State.ToString()));
    }
}
