using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Robotics.Control.Metrics;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;
using Robotics.Protocol;
using Robotics.Protocol.Messages;
using Robotics.Transport;

namespace Robotics.Control.Services;

/// <summary>
/// The host's view of the robot: the transport endpoint, which peer is the robot, the newest observation only
/// (older unread ones are replaced, never queued) and operator commands. A robot whose hello does not fit the policy
/// (action_dim, state_dim) is not accepted as the robot. Observations are checked against the robot's hello (state
/// length, declared cameras) and must carry increasing sequence numbers; a bad one gets an error reply and is not used.
/// Only operators may send commands.
/// </summary>
public sealed class RobotLink : IDisposable
{
    private readonly HostEndpointOptions _options;
    private readonly ControlMetrics _metrics;
    private readonly ILogger<RobotLink> _logger;
    private readonly int _policyActionDim;
    private readonly int? _policyStateDim;
    private readonly Channel<(string PeerId, ulong Sequence, CommandMessage Command)> _commands =
        Channel.CreateBounded<(string, ulong, CommandMessage)>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
    private HostEndpoint? _endpoint;
    private volatile PeerInfo? _robot;
    private volatile ObservationSample? _latest;
    private ulong _lastTakenSequence;
    private long _robotGeneration;

    public RobotLink(IOptions<HostEndpointOptions> options, IChunkPolicy policy, ControlMetrics metrics, ILogger<RobotLink> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _policyActionDim = policy.Shape.Action.ElementCount;
        _policyStateDim = policy.Shape.Observations.FirstOrDefault(f => f.Key == FeatureKeys.State)?.ElementCount;
    }

    public event Action<PeerInfo>? RobotJoined;

    public PeerInfo? Robot => _robot;

    /// <summary>
    /// Counts accepted robot hellos. It changes before <see cref="Latest"/> is cleared, so a reader that sees the
    /// cleared sample and then reads this sees the new value (the clock must never mistake a rejoin for silence).
    /// </summary>
    public long RobotGeneration => Interlocked.Read(ref _robotGeneration);

    public ObservationSample? Latest => _latest;

    public HostEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("the robot link has not started");

    /// <summary>Operator commands with the sender and the command's seq (for the reply's ref_seq).</summary>
    public ChannelReader<(string PeerId, ulong Sequence, CommandMessage Command)> Commands => _commands.Reader;

    public void Start()
    {
        _endpoint = new HostEndpoint(_options, _logger);
        // Rows of the wrong width would be misread by the robot: such a hello is refused before any welcome.
        _endpoint.AdmitHello = hello => hello.Role == PeerRole.Robot && HelloMismatch(hello) is { } problem
            ? new ProtocolException(ProtocolErrorCode.InvalidValue, problem)
            : null;
        _endpoint.MessageReceived += OnMessage;
        _endpoint.PeerJoined += OnPeerJoined;
        _endpoint.PeerLost += p =>
        {
            if (_robot?.PeerId == p.PeerId)
                _robot = null;
        };
        _endpoint.Start();
        _logger.LogInformation("control host listening on {Endpoint}{Curve}", _endpoint.BoundEndpoint,
            _endpoint.ServerPublicKey is null ? " (no CurveZMQ: loopback only)" : $" (CurveZMQ, server key {_endpoint.ServerPublicKey})");
    }

    /// <summary>Marks the newest observation as used; the next one that replaces it unused counts as conflated.</summary>
    public void MarkTaken(ObservationSample sample) => Volatile.Write(ref _lastTakenSequence, sample.Sequence);

    public void SendToRobot(IMessageBody body)
    {
        if (_robot is { } robot)
            _endpoint?.Send(robot.PeerId, body);
    }

    public void SendTo(string peerId, IMessageBody body) => _endpoint?.Send(peerId, body);

    private void OnPeerJoined(PeerInfo peer)
    {
        if (peer.Role != PeerRole.Robot)
        {
            if (_robot?.PeerId == peer.PeerId)
                _robot = null; // the robot's connection said hello again as something else
            return;
        }

        // Every new session is a rejoin, even on the same connection; a retransmitted identical hello is not a new
        // session (the transport welcomes it again without telling us).
        Interlocked.Increment(ref _robotGeneration);
        _robot = peer;
        _latest = null;
        RobotJoined?.Invoke(peer);
    }

    private string? HelloMismatch(HelloMessage hello)
    {
        if (hello.ActionDim != _policyActionDim)
            return $"body.action_dim: robot declares {hello.ActionDim} but the policy produces rows of {_policyActionDim}";
        if (hello.StateDim > 0 && _policyStateDim is { } stateDim && hello.StateDim != stateDim)
            return $"body.state_dim: robot declares {hello.StateDim} but the policy expects a state of {stateDim}";
        return null;
    }

    /// <summary>Why an observation from the robot is refused (code and message naming the field), or null.</summary>
    private static (ProtocolErrorCode Code, string Message)? ObservationProblem(ObservationMessage obs, HelloMessage hello)
    {
        if (hello.StateDim > 0 && obs.State.Shape[0] != hello.StateDim)
            return (ProtocolErrorCode.BadArray, $"body.state: expected {hello.StateDim} values as announced in hello, got {obs.State.Shape[0]}");
        var cameras = hello.Cameras ?? [];
        foreach (var name in obs.Images.Keys)
        {
            if (!cameras.Contains(name))
                return (ProtocolErrorCode.InvalidValue,
                    $"body.images.{name}: camera '{name}' was not declared in hello (declared: {(cameras.Count == 0 ? "none" : string.Join(", ", cameras))})");
        }

        return null;
    }

    private void OnMessage(InboundMessage message)
    {
        switch (message.Envelope.Body)
        {
            case ObservationMessage obs when message.PeerId == _robot?.PeerId:
                if (ObservationProblem(obs, _robot.Hello) is var (code, problem))
                {
                    _metrics.AddRejected();
                    _endpoint!.Send(message.PeerId, new ErrorMessage(code.ToWire(), problem, message.Envelope.Sequence));
                    return;
                }

                var previous = _latest;
                if (previous is not null && previous.Sequence != Volatile.Read(ref _lastTakenSequence))
                    _metrics.AddConflated();
                _latest = new ObservationSample(obs, message.Envelope.Sequence, message.ReceivedNs, message.PeerId);
                break;
            case ObservationMessage:
                _endpoint!.Send(message.PeerId, new ErrorMessage(ProtocolErrorCode.BadState.ToWire(), "only the current robot may send observations", message.Envelope.Sequence));
                break;
            case CommandMessage when _endpoint!.Peers.FirstOrDefault(p => p.PeerId == message.PeerId)?.Role != PeerRole.Operator:
                _endpoint.Send(message.PeerId, new ErrorMessage(ProtocolErrorCode.Forbidden.ToWire(), "only operators may send commands", message.Envelope.Sequence));
                break;
            case CommandMessage command:
                _commands.Writer.TryWrite((message.PeerId, message.Envelope.Sequence, command));
                break;
            case StatusMessage status:
                _logger.LogInformation("peer {Peer} status: {State} {Detail}", message.PeerId, status.State, status.Detail);
                break;
            case ErrorMessage error:
                _logger.LogWarning("peer {Peer} reported an error: {Code}: {Message}", message.PeerId, error.Code, error.Message);
                break;
            default:
                _endpoint!.Send(message.PeerId, new ErrorMessage(ProtocolErrorCode.BadState.ToWire(), $"{message.Envelope.Type.ToWire()} is not accepted by the host", message.Envelope.Sequence));
                break;
        }
    }

    public void Dispose() => _endpoint?.Dispose();
}
