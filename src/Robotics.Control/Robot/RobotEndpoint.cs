using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;
using Robotics.Transport;

namespace Robotics.Control.Robot;

/// <summary>
/// A robot speaking the protocol: sends an observation, executes the row of each action chunk that matches its
/// current step (one step per chunk message; older or future first steps are ignored), and reports the result.
/// Holds on its own when actions stop arriving (<see cref="RobotEndpointOptions.HoldTimeoutMs"/>), and stays held after
/// a stop command until resume, start or reset; backtrack chunks are executed while held. After an episode ends
/// the final observation is repeated until the host sends reset.
/// All arm calls happen on the thread that calls <see cref="Run"/>.
/// </summary>
public sealed class RobotEndpoint : IDisposable
{
    private readonly IRobotArm _arm;
    private readonly RobotEndpointOptions _options;
    private readonly ILogger _logger;
    private readonly ClientEndpoint _client;
    private readonly BlockingCollection<IMessageBody> _inbox = new(new ConcurrentQueue<IMessageBody>(), 256);
    private long _episode;
    private long _step;
    private int _episodeInPlan;
    private RobotFrame? _frame;
    private bool _stoppedByHost;
    private bool _heldByTimeout;
    private long _lastActionTimestamp = Stopwatch.GetTimestamp();
    private long _lastSendTimestamp;
    private int? _taskOverride;
    private bool _moving;

    public RobotEndpoint(IRobotArm arm, ClientEndpointOptions client, RobotEndpointOptions options, ILogger logger)
    {
        _arm = arm;
        _options = options;
        _logger = logger;
        _episode = options.FirstEpisode;
        var hello = new HelloMessage(PeerRole.Robot, arm.Name, arm.ActionDim, arm.StateDim, arm.ActionMode, arm.Cameras);
        _client = new ClientEndpoint(client, hello, logger);
        _client.MessageReceived += m =>
        {
            if (m.Envelope.Body is ActionChunkMessage or CommandMessage)
                _inbox.TryAdd(m.Envelope.Body);
        };
    }

    public ClientEndpoint Client => _client;

    public long EpisodesFinished { get; private set; }

    public long StepsExecuted { get; private set; }

    public long HoldsByTimeout { get; private set; }

    public bool Holding => _stoppedByHost || _heldByTimeout;

    /// <summary>Runs until cancelled or until the episode plan is done; returns the number of finished episodes.</summary>
    public long Run(CancellationToken cancellationToken)
    {
        _client.Start();
        StartEpisode();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_inbox.TryTake(out var message, 10))
            {
                if (!Handle(message))
                    break;
            }

            CheckHold();
        }

        _arm.Hold();
        return EpisodesFinished;
    }

    private bool Handle(IMessageBody message)
    {
        switch (message)
        {
            case ActionChunkMessage chunk:
                return OnChunk(chunk);
            case CommandMessage { Command: CommandKind.Stop }:
                _stoppedByHost = true;
                _moving = false;
                _arm.Hold();
                _logger.LogInformation("stop received: holding at step {Step}", _step);
                SendObservation();
                return true;
            case CommandMessage { Command: CommandKind.Resume or CommandKind.Start }:
                _stoppedByHost = false;
                _heldByTimeout = false;
                _lastActionTimestamp = Stopwatch.GetTimestamp();
                SendObservation();
                return true;
            case CommandMessage { Command: CommandKind.Reset } reset:
                _stoppedByHost = false;
                _heldByTimeout = false;
                _taskOverride = reset.TaskIndex ?? _taskOverride;
                _episode++;
                StartEpisode(reset.Seed);
                return true;
            case CommandMessage { Command: CommandKind.SetTask } setTask:
                _taskOverride = setTask.TaskIndex;
                _episode++;
                StartEpisode();
                return true;
            default:
                return true;
        }
    }

    private bool OnChunk(ActionChunkMessage chunk)
    {
        if (chunk.Episode != _episode || chunk.FirstStep != _step || _frame is null || _frame.Done)
            return true; // stale, or for another episode
        if (_stoppedByHost && !chunk.Backtrack)
            return true;
        var row = chunk.Actions.ToFloats().AsSpan(0, chunk.Actions.Shape[1]).ToArray();
        if (row.Length != _arm.ActionDim || row.Any(v => !float.IsFinite(v)))
        {
            _client.Send(new ErrorMessage("bad_array", $"body.actions: expected {_arm.ActionDim} finite values per row; holding"));
            _arm.Hold();
            return true;
        }

        _heldByTimeout = false;
        _moving = true;
        _lastActionTimestamp = Stopwatch.GetTimestamp();
        _frame = _arm.Apply(row);
        _step++;
        StepsExecuted++;
        SendObservation();
        if (_frame.Done)
        {
            EpisodesFinished++;
            _logger.LogInformation("episode {Episode} (task {Task}) ended after {Steps} steps: {Result}", _episode, _frame.TaskIndex, _step, _frame.Success ? "success" : "failure");
            // The next episode starts when the host says reset, so the final observation is never replaced unread.
            if (PlanFinished())
                return false;
        }

        return true;
    }

    private bool PlanFinished()
    {
        int tasks = Math.Max(1, _options.Tasks.Count);
        return _options.EpisodesPerTask > 0 && EpisodesFinished >= (long)tasks * _options.EpisodesPerTask;
    }

    private void StartEpisode(long? seed = null)
    {
        int? task = _taskOverride ?? (_options.Tasks.Count > 0 ? _options.Tasks[_episodeInPlan % _options.Tasks.Count] : null);
        _episodeInPlan++;
        _frame = _arm.Reset(seed ?? _options.Seed + _episode, task);
        _step = 0;
        _moving = false;
        _lastActionTimestamp = Stopwatch.GetTimestamp();
        SendObservation();
    }

    private void CheckHold()
    {
        double sinceAction = Stopwatch.GetElapsedTime(_lastActionTimestamp).TotalMilliseconds;
        // Before the first action of an episode the arm is at rest anyway; the timeout guards motion in progress.
        if (_moving && !_heldByTimeout && !_stoppedByHost && sinceAction > _options.HoldTimeoutMs)
        {
            _heldByTimeout = true;
            _moving = false;
            HoldsByTimeout++;
            _arm.Hold();
            _logger.LogWarning("no actions for {Ms} ms: holding", (int)sinceAction);
        }

        if (Stopwatch.GetElapsedTime(_lastSendTimestamp).TotalMilliseconds > _options.ResendIntervalMs)
            SendObservation();
    }

    private void SendObservation()
    {
        if (_frame is null)
            return;
        _lastSendTimestamp = Stopwatch.GetTimestamp();
        _client.Send(new ObservationMessage(_episode, _step, NdArray.FromFloats(_frame.State, _frame.State.Length), _frame.Images,
            _frame.TaskIndex, _frame.Instruction, _frame.Success, _frame.Done));
    }

    public void Dispose()
    {
        _client.Dispose();
        _inbox.Dispose();
    }
}
