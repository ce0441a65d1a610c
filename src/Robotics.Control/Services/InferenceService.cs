using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Robotics.Control.Chunks;
using Robotics.Control.Metrics;
using Robotics.Core.Arrays;
using Robotics.Core.Policies;
using Robotics.Core.Shapes;

namespace Robotics.Control.Services;

/// <summary>
/// Runs the policy off the control clock, on its own thread. Requests are a queue of one (a newer observation replaces
/// a waiting one). Each chunk is merged into the <see cref="ChunkBuffer"/> at the observation's step. A policy exception
/// is not swallowed: <see cref="Failed"/> is set and the clock stops the robot.
/// <para>The clock hands over every executed step's observation (<see cref="Observe"/>); before each prediction the
/// steps since the last one reach the policy in order through <see cref="IChunkPolicy.Observe"/>, so its history holds
/// consecutive frames as in training, whenever the replans happen.</para>
/// </summary>
public sealed class InferenceService : BackgroundService
{
    private readonly IChunkPolicy _policy;
    private readonly ChunkBuffer _buffer;
    private readonly ControlMetrics _metrics;
    private readonly ILogger<InferenceService> _logger;
    private readonly Channel<InferenceRequest> _requests =
        Channel.CreateBounded<InferenceRequest>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private long _currentStep;
    private volatile bool _inFlight;
    private volatile float[] _features = [];
    private volatile string? _failure;
    private long _chunks;
    private readonly object _chunkGate = new();
    private readonly List<ObservationSample> _pending = [];
    private long _observedEpisode = -1;
    private long _observedStep = long.MinValue;

    /// <summary>Steps kept for the policy while inference is busy; more than this means the policy is far behind anyway.</summary>
    private const int MaxPending = 256;

    public InferenceService(IChunkPolicy policy, ChunkBuffer buffer, ControlMetrics metrics, ILogger<InferenceService> logger)
    {
        _policy = policy;
        _buffer = buffer;
        _metrics = metrics;
        _logger = logger;
    }

    public IChunkPolicy Policy => _policy;

    public bool InFlight => _inFlight;

    public string? Failed => _failure;

    public long ChunksProduced => Interlocked.Read(ref _chunks);

    /// <summary>Features of the newest chunk, for the failure monitor.</summary>
    public float[] LatestFeatures => _features;

    /// <summary>The step the robot is at now, so rows planned for executed steps are dropped on merge.</summary>
    public void SetCurrentStep(long step) => Interlocked.Exchange(ref _currentStep, step);

    /// <summary>Waits until more than <paramref name="produced"/> chunks exist (or inference failed); false on timeout.</summary>
    public bool WaitForChunk(long produced, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_chunkGate)
        {
            while (Interlocked.Read(ref _chunks) <= produced && _failure is null)
            {
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                    return false;
                Monitor.Wait(_chunkGate, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            }

            return _failure is null;
        }
    }

    /// <summary>One executed step's observation, in step order; it reaches the policy before the next prediction.</summary>
    public void Observe(ObservationSample sample)
    {
        lock (_pending)
        {
            if (_pending.Count == MaxPending)
                _pending.RemoveAt(0);
            _pending.Add(sample);
        }
    }

    public void Request(InferenceRequest request)
    {
        _inFlight = true;
        _requests.Writer.TryWrite(request);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!_requests.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                    return;
                if (!_requests.Reader.TryRead(out var request))
                    continue;
                if (request.ResetPolicy)
                {
                    _policy.Reset();
                    _observedEpisode = request.Sample.Observation.Episode;
                    _observedStep = long.MinValue;
                }

                var started = Stopwatch.GetTimestamp();
                CatchUp(request);
                var chunk = _policy.PredictChunk(ToPolicyObservation(request.Sample, request), stoppingToken);
                _observedStep = Math.Max(_observedStep, request.Sample.Observation.Step);
                long elapsedNs = (long)Stopwatch.GetElapsedTime(started).TotalNanoseconds;
                _metrics.AddInference(elapsedNs);
                _buffer.Merge(request.Sample.Observation.Step, chunk.Actions, Interlocked.Read(ref _currentStep));
                _features = chunk.Features;
                _inFlight = _requests.Reader.Count > 0;
                lock (_chunkGate)
                {
                    Interlocked.Increment(ref _chunks);
                    Monitor.PulseAll(_chunkGate);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Loud and safe: the control clock sees Failed and stops the robot.
            _failure = $"{e.GetType().Name}: {e.Message}";
            _logger.LogCritical(e, "policy inference failed; the robot will be stopped");
            lock (_chunkGate)
                Monitor.PulseAll(_chunkGate);
        }
        finally
        {
            _inFlight = false;
        }
    }

    /// <summary>Hands the policy, in order, the steps of this episode it has not seen and that come before the request's.</summary>
    private void CatchUp(InferenceRequest request)
    {
        var obs = request.Sample.Observation;
        ObservationSample[] missed;
        lock (_pending)
        {
            missed = _pending.Where(p => p.Observation.Episode == obs.Episode && p.Observation.Step > _observedStep && p.Observation.Step < obs.Step)
                .OrderBy(p => p.Observation.Step).ToArray();
            _pending.RemoveAll(p => p.Observation.Episode != obs.Episode || p.Observation.Step <= obs.Step);
        }

        if (obs.Episode != _observedEpisode)
            return; // the policy has not been reset into this episode: its steps before the request are not its history
        foreach (var sample in missed)
        {
            if (sample.Observation.Step == _observedStep)
                continue;
            _policy.Observe(ToPolicyObservation(sample, request));
            _observedStep = sample.Observation.Step;
        }
    }

    private static PolicyObservation ToPolicyObservation(ObservationSample sample, InferenceRequest request)
    {
        var obs = sample.Observation;
        var features = new Dictionary<string, NdArray>(StringComparer.Ordinal) { [FeatureKeys.State] = obs.State };
        foreach (var (camera, image) in obs.Images)
            features[FeatureKeys.Image(camera)] = image;
        return new PolicyObservation(features, request.TaskIndex ?? obs.TaskIndex, request.Instruction ?? obs.Instruction, obs.Step);
    }
}
