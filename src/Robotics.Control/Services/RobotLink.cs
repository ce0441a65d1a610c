using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Robotics.Control.Metrics;
using Robotics.Protocol;
using Robotics.Protocol.Messages;
using Robotics.Transport;

namespace Robotics.Control.Services;

/// <summary>
/// The host's view of the robot: the transport endpoint, which peer is the robot, the newest observation only
/// (older unread ones are replaced, never queued) and operator commands. Observation shapes are checked against the
/// robot's hello; a bad one gets an error reply and is not used.
/// </summary>
public sealed class RobotLink : IDisposable
{
    private readonly HostEndpointOptions _options;
    private readonly ControlMetrics _metrics;
    private readonly ILogger<RobotLink> _logger;
    private readonly Channel<(string PeerId, CommandMessage Command)> _commands =
        Channel.CreateBounded<(string, CommandMessage)>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
    private HostEndpoint? _endpoint;
    private volatile PeerInfo? _robot;
    private volatile ObservationSample? _latest;
    private ulong _lastTakenSequence;
    private long _robotGeneration;

    public RobotLink(IOptions<HostEndpointOptions> options, ControlMetrics metrics, ILogger<RobotLink> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
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

    public ChannelReader<(string PeerId, CommandMessage Command)> Commands => _commands.Reader;

    public void Start()
    {
        _endpoint = new HostEndpoint(_options, _logger);
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
            return;
        Interlocked.Increment(ref _robotGeneration);
        _robot = peer;
        _latest = null;
        RobotJoined?.Invoke(peer);
    }

    private void OnMessage(InboundMessage message)
    {
        switch (message.Envelope.Body)
        {
            case ObservationMessage obs when message.PeerId == _robot?.PeerId:
                if (_robot.Hello.StateDim > 0 && obs.State.Shape[0] != _robot.Hello.StateDim)
                {
                    _metrics.AddRejected();
                    _endpoint!.Send(message.PeerId, new ErrorMessage(ProtocolErrorCode.BadArray.ToWire(),
                        $"body.state: expected {_robot.Hello.StateDim} values as announced in hello, got {obs.State.Shape[0]}", message.Envelope.Sequence));
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
            case CommandMessage command:
                _commands.Writer.TryWrite((message.PeerId, command));
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
