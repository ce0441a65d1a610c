using Robotics.Control.Robot;
using Robotics.Core.Arrays;
using Robotics.Protocol.Messages;

namespace Robotics.Control.Tests.Fakes;

/// <summary>
/// A robot written out step by step on a <see cref="RawPeer"/>, for a race the reference endpoint hits only by
/// chance: whenever an action for its step arrives it first re-sends its current observation (its resend timer fired
/// just as the action came in) and gives the host time to answer that duplicate, then executes. With
/// <see cref="RowsPerChunk"/> above 1 it executes that many rows of one chunk before reporting, like a robot with its
/// own real-time loop. Holds after stop (backtrack rows still run) until resume or start. Episode 0 only.
/// </summary>
public sealed class ScriptedRobot : IDisposable
{
    private readonly RawPeer _peer;
    private readonly PointArm _arm;
    private readonly CancellationTokenSource _cts = new();
    private readonly Thread _thread;
    private ulong _sequence;
    private long _step;
    private long _executed;
    private long _duplicates;
    private volatile bool _held;
    private RobotFrame? _frame;
    private long _lastSendTicks;

    public ScriptedRobot(string endpoint, PointArm arm, int rowsPerChunk = 1)
    {
        _peer = new RawPeer(endpoint);
        _arm = arm;
        RowsPerChunk = rowsPerChunk;
        _thread = new Thread(Run) { IsBackground = true, Name = "scripted-robot" };
        _thread.Start();
    }

    public int RowsPerChunk { get; }

    public long StepsExecuted => Interlocked.Read(ref _executed);

    /// <summary>Observations re-sent at a step the host had already answered.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public bool Holding => _held;

    private void Run()
    {
        _peer.Send(++_sequence, new HelloMessage(PeerRole.Robot, "scripted-robot", _arm.ActionDim, _arm.StateDim, _arm.ActionMode, []));
        _frame = _arm.Reset(0, 0);
        SendObservation();
        int handled = 0;
        while (!_cts.IsCancellationRequested)
        {
            _peer.Pump(TimeSpan.FromMilliseconds(5));
            while (handled < _peer.Received.Count)
                Handle(_peer.Received[handled++].Body);
            if (Environment.TickCount64 - _lastSendTicks > 100)
                SendObservation(); // keeps the host's watchdog fed while nothing happens
        }
    }

    private void Handle(IMessageBody body)
    {
        switch (body)
        {
            case CommandMessage { Command: CommandKind.Stop }:
                _held = true;
                SendObservation();
                break;
            case CommandMessage { Command: CommandKind.Resume or CommandKind.Start }:
                _held = false;
                SendObservation();
                break;
            case ActionChunkMessage chunk when chunk.Episode == 0 && chunk.FirstStep == _step && (!_held || chunk.Backtrack):
                SendObservation();
                Interlocked.Increment(ref _duplicates);
                _peer.Pump(TimeSpan.FromMilliseconds(30)); // the host answers the duplicate meanwhile
                var flat = chunk.Actions.ToFloats();
                int dim = chunk.Actions.Shape[1], rows = Math.Min(RowsPerChunk, chunk.Actions.Shape[0]);
                for (int r = 0; r < rows; r++)
                {
                    _frame = _arm.Apply(flat.AsSpan(r * dim, dim).ToArray());
                    _step++;
                    Interlocked.Increment(ref _executed);
                }

                SendObservation();
                break;
        }
    }

    private void SendObservation()
    {
        _lastSendTicks = Environment.TickCount64;
        _peer.Send(++_sequence, new ObservationMessage(0, _step, NdArray.FromFloats(_frame!.State, _frame.State.Length), _frame.Images,
            _frame.TaskIndex, _frame.Instruction, _frame.Success, _frame.Done));
    }

    public void Dispose()
    {
        _cts.Cancel();
        _thread.Join(5000);
        _peer.Dispose();
        _cts.Dispose();
    }
}
